using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>How a deal's new score differs from its previous one, and why, as data and in one sentence.</summary>
[MemoryPackable]
public sealed partial record ScoreMovement
{
    public required int PreviousScore { get; init; }
    public required string PreviousLevel { get; init; }
    public required DateTimeOffset PreviousAsOf { get; init; }
    public required int Delta { get; init; }
    /// <summary>Signals behind the new score that were not behind the previous one.</summary>
    public required IReadOnlyList<SignalMovement> Added { get; init; }
    /// <summary>Signals behind the previous score that no longer count.</summary>
    public required IReadOnlyList<SignalMovement> Removed { get; init; }
    /// <summary>Signals behind both whose value or points moved.</summary>
    public required IReadOnlyList<SignalMovement> Changed { get; init; }
    /// <summary>Model scores only: how each feature's contribution to the raw score moved (empty otherwise).</summary>
    public IReadOnlyList<ContributionDelta> Contributions { get; init; } = [];
    /// <summary>The CRM changes that arrived between the two scores, as far as the scoring service saw them.</summary>
    public IReadOnlyList<DealChange> Changes { get; init; } = [];
    /// <summary>"Up 28 to CRITICAL: no activity for 30 days (new), …".</summary>
    public required string Summary { get; init; }
}

/// <summary>One signal's part in a movement; <see cref="Reason"/> is its phrase for the newer side (the older for a removed one).</summary>
[MemoryPackable]
public sealed partial record SignalMovement
{
    public required string Signal { get; init; }
    public string? Reason { get; init; }
    public double? From { get; init; }
    public double? To { get; init; }
    public double? PointsFrom { get; init; }
    public double? PointsTo { get; init; }
}

/// <summary>A feature's contribution to the model's raw score before and after.</summary>
[MemoryPackable]
public sealed partial record ContributionDelta
{
    public required string Feature { get; init; }
    public required double From { get; init; }
    public required double To { get; init; }
    [MemoryPackIgnore]
    public double Delta => To - From;
}
