using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// One signal behind a score, as data: which signal (a feature name, or <see cref="DataQuality"/>), the value it
/// had and what it added: a rule's points, or the feature's contribution to the model's raw (uncalibrated) score. The words a person
/// reads are rendered from it; movement between two scores compares these, not the words.
/// </summary>
[MemoryPackable(GenerateType.VersionTolerant)]
public sealed partial record ScoreReason
{
    public const string DataQuality = "data_quality";

    [MemoryPackOrder(0)]
    public required string Signal { get; init; }
    [MemoryPackOrder(1)]
    public double? Value { get; init; }
    [MemoryPackOrder(2)]
    public required double Points { get; init; }
    /// <summary>The rule that fired; null for a model contribution.</summary>
    [MemoryPackOrder(3)]
    public string? Rule { get; init; }
}
