namespace DealRisk.Contracts;

/// <summary>
/// Ingestion stored a change to a deal that is not rescored now (a change no feature reads, a bulk import, a resync):
/// the deal as stored. A change rescored now is announced by <see cref="DealChanged"/> alone, which carries the stored
/// deal as well, so each change is one event.
/// </summary>
public sealed record DealSynced
{
    public required Guid CorrelationId { get; init; }
    public required DealSnapshot Deal { get; init; }
    /// <summary>Where the change came from: hubspot-webhook, salesforce-outbound, csv-import, …</summary>
    public required string Origin { get; init; }
    public required DateTimeOffset SyncedAt { get; init; }
}
