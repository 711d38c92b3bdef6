namespace DealRisk.Contracts;

/// <summary>
/// The changes one CRM delivery stored (a webhook request, a group of imported rows), announced together: each change
/// exactly as its own <see cref="DealChanged"/> or <see cref="DealSynced"/> would announce it, but one broker message
/// and one publisher confirm for the delivery instead of one per change. Ingestion splits a larger group into messages
/// of at most <see cref="MaxDeals"/> deals.
/// </summary>
public sealed record DealChangesStored
{
    /// <summary>HubSpot and Salesforce send at most 100 changes per delivery: one of those is one message.</summary>
    public const int MaxDeals = 100;

    public required Guid CorrelationId { get; init; }
    /// <summary>Where the changes came from: hubspot-webhook, salesforce-outbound, csv-import, …</summary>
    public required string Origin { get; init; }
    /// <summary>The changes rescored now.</summary>
    public IReadOnlyList<DealChanged> Rescored { get; init; } = [];
    /// <summary>The changes that are not rescored now: deal copies to keep current.</summary>
    public IReadOnlyList<DealSynced> Synced { get; init; } = [];
}
