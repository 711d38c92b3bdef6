namespace DealRisk.Contracts;

/// <summary>Scoring's answer to <see cref="GetDealScoreHistory"/>: the deal's scores within the retention, newest first (empty when none is kept).</summary>
public sealed record DealScoreHistoryFound
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required IReadOnlyList<HistoricScore> Scores { get; init; }
}
