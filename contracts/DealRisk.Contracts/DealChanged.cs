namespace DealRisk.Contracts;

/// <summary>
/// The real-time trigger: ingestion accepted a change that can move a deal's features (see
/// <see cref="DealChangeKinds"/>), so that deal is rescored now on <see cref="Deal"/>, the version ingestion stored.
/// It is also that change's sync: no <see cref="DealSynced"/> is published beside it, so whoever keeps a copy of the
/// deals stores <see cref="Deal"/> from either event (by version: the two travel on different queues).
/// </summary>
public sealed record DealChanged
{
    public required Guid CorrelationId { get; init; }
    public required DealSnapshot Deal { get; init; }
    /// <summary>What changed since the previous version, from <see cref="DealChangeKinds"/>.</summary>
    public required IReadOnlyList<string> ChangedFields { get; init; }
    /// <summary>Where the change came from: hubspot-webhook, salesforce-outbound, csv-import, …</summary>
    public required string Origin { get; init; }
    /// <summary>When ingestion published the change; the CRM's own timestamps are in the deal's history.</summary>
    public required DateTimeOffset ChangedAt { get; init; }
    /// <summary>The history entries this version added (field, old → new value, when).</summary>
    public IReadOnlyList<DealChange> Changes { get; init; } = [];
}
