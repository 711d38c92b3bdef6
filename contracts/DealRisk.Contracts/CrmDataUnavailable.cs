namespace DealRisk.Contracts;

/// <summary>No CRM data arrived within the freshness window: send "data unavailable" instead of a stale report.</summary>
public sealed record CrmDataUnavailable
{
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public DateTimeOffset? LastDataAt { get; init; }
    public required TimeSpan Window { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
