namespace DealRisk.Contracts;

/// <summary>One score in a deal's history as scoring kept it: what it was computed on, the signals behind it, its trigger and its movement.</summary>
public sealed record HistoricScore
{
    /// <summary>The deal's name as scored.</summary>
    public string? Name { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required long DealVersion { get; init; }
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }
    public required int Score { get; init; }
    public required string Level { get; init; }
    public required string Stage { get; init; }
    public int? DaysInStage { get; init; }
    /// <summary>The reasons in words, in the order of <see cref="Factors"/>.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
    public required IReadOnlyList<ScoreReason> Factors { get; init; }
    public required ScoreTrigger Trigger { get; init; }
    /// <summary>Null for the deal's first score.</summary>
    public ScoreMovement? Movement { get; init; }
    /// <summary>The recommended action; null for a score kept before the history held actions.</summary>
    public string? Action { get; init; }
}
