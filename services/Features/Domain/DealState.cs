namespace DealRisk.Features.Domain;

/// <summary>A deal as it stood at one instant: only what was known then, nothing from its future.</summary>
public sealed record DealState
{
    public required DateTimeOffset Instant { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Null when the history cannot tell the stage at that instant.</summary>
    public string? Stage { get; init; }
    public required DateTimeOffset StageEnteredAt { get; init; }
    public decimal? Amount { get; init; }
    public DateOnly? CloseDate { get; init; }
    public string? Owner { get; init; }
    public string? NextStep { get; init; }
    public DateTimeOffset? NextStepUpdatedAt { get; init; }
    public int? ContactCount { get; init; }
    public int StageRegressions { get; init; }
    public int CloseDatePushes { get; init; }
    public int AmountChanges { get; init; }
    public int OwnerChanges { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
    /// <summary>Null when the source records no activity dates.</summary>
    public int? ActivitiesLast14Days { get; init; }
    public int? ActivitiesLast30Days { get; init; }
}
