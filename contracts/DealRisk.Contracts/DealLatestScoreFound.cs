namespace DealRisk.Contracts;

/// <summary>
/// Scoring's answer to <see cref="GetDealLatestScore"/>: the deal's newest score (by deal version, then as-of), or null
/// when scoring holds none (never scored, or its newest score fell out of the history's retention).
/// </summary>
public sealed record DealLatestScoreFound
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public HistoricScore? Score { get; init; }
}
