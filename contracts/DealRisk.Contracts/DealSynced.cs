namespace DealRisk.Contracts;

/// <summary>Ingestion accepted a change to a deal (webhook, import or sync) and stored it.</summary>
public sealed record DealSynced
{
    public required Guid CorrelationId { get; init; }
    public required DealSnapshot Deal { get; init; }
    /// <summary>Where the change came from: hubspot-webhook, salesforce-outbound, csv-import, …</summary>
    public required string Origin { get; init; }
    public required DateTimeOffset SyncedAt { get; init; }
}
