namespace DealRisk.Contracts;

/// <summary>A deal moved to another canonical stage. Superseded by <see cref="DealChanged"/>, which ingestion publishes for every change that can move a feature; kept for the wire.</summary>
public sealed record DealStageChanged
{
    public required Guid CorrelationId { get; init; }
    public required DealSnapshot Deal { get; init; }
    public string? FromStage { get; init; }
    public required string ToStage { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
