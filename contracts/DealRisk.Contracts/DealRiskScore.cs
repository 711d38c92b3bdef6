using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>A deal's risk: 0–100, a level, the top reasons in plain words and one recommended action.</summary>
[MemoryPackable(GenerateType.VersionTolerant)]
public sealed partial record DealRiskScore
{
    [MemoryPackOrder(0)]
    public required DealProfile Deal { get; init; }
    [MemoryPackOrder(1)]
    public required int Score { get; init; }
    /// <summary>One of <see cref="RiskLevels"/>.</summary>
    [MemoryPackOrder(2)]
    public required string Level { get; init; }
    [MemoryPackOrder(3)]
    public required IReadOnlyList<string> Reasons { get; init; }
    /// <summary>The signals behind <see cref="Reasons"/> as data, strongest first.</summary>
    [MemoryPackOrder(4)]
    public IReadOnlyList<ScoreReason> Factors { get; init; } = [];
    [MemoryPackOrder(5)]
    public required string Action { get; init; }
    /// <summary>"rules" or "model".</summary>
    [MemoryPackOrder(6)]
    public required string Scorer { get; init; }
    [MemoryPackOrder(7)]
    public string? ModelVersion { get; init; }
    /// <summary>Model scores: every feature's contribution to the raw score and the raw score itself; kept by the scoring service for movement, not published.</summary>
    [MemoryPackOrder(8)]
    public IReadOnlyList<ScoreReason>? Contributions { get; init; }
    [MemoryPackOrder(9)]
    public double? RawScore { get; init; }
    [MemoryPackOrder(10)]
    public ScoreTrigger? Trigger { get; init; }
    /// <summary>Against the deal's previous score; null for its first.</summary>
    [MemoryPackOrder(11)]
    public ScoreMovement? Movement { get; init; }
}
