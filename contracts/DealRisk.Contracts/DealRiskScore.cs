namespace DealRisk.Contracts;

/// <summary>A deal's risk: 0–100, a level, the top reasons in plain words and one recommended action.</summary>
public sealed record DealRiskScore
{
    public required DealProfile Deal { get; init; }
    public required int Score { get; init; }
    /// <summary>One of <see cref="RiskLevels"/>.</summary>
    public required string Level { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    /// <summary>The signals behind <see cref="Reasons"/> as data, strongest first.</summary>
    public IReadOnlyList<ScoreReason> Factors { get; init; } = [];
    public required string Action { get; init; }
    /// <summary>"rules" or "model".</summary>
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>Model scores: every feature's contribution to the raw score and the raw score itself; kept by the scoring service for movement, not published.</summary>
    public IReadOnlyList<ScoreReason>? Contributions { get; init; }
    public double? RawScore { get; init; }
    public ScoreTrigger? Trigger { get; init; }
    /// <summary>Against the deal's previous score; null for its first.</summary>
    public ScoreMovement? Movement { get; init; }
}
