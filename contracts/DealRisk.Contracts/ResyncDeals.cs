namespace DealRisk.Contracts;

/// <summary>Asks ingestion to publish <see cref="DealSynced"/> again for these deals (a consumer missed or lost them).</summary>
public sealed record ResyncDeals
{
    public required Guid CorrelationId { get; init; }
    public required IReadOnlyList<DealRef> Deals { get; init; }
    public required string RequestedBy { get; init; }
}
