namespace DealRisk.Contracts;

/// <summary>A deal moved to another canonical stage: the trigger for rescoring that one deal now.</summary>
public sealed record DealStageChanged
{
    public required Guid CorrelationId { get; init; }
    public required DealSnapshot Deal { get; init; }
    public string? FromStage { get; init; }
    public required string ToStage { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
