namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>One property value as of the moment HubSpot says it changed.</summary>
public sealed record PropertyObservation
{
    public required string Property { get; init; }
    public string? Value { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>
/// What ingestion has heard about one HubSpot deal: every observed value with its change time (so an older event
/// never overwrites a newer one) and the keys of recent events (so a redelivery is recognized).
/// Ingestion's own document; the canonical deal is derived from it.
/// </summary>
public sealed record HubSpotDealState
{
    /// <summary>Enough to recognize HubSpot's redeliveries (up to 10 over 24 h); older duplicates are still harmless by change time.</summary>
    public const int RememberedEvents = 500;

    public required string DealId { get; init; }
    /// <summary>Optimistic concurrency: increases with every save of this document.</summary>
    public long Revision { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public List<PropertyObservation> Observations { get; init; } = [];
    public List<string> EventKeys { get; init; } = [];

    public PropertyObservation? Latest(string property)
    {
        PropertyObservation? latest = null;
        foreach (var observation in Observations)
            if (observation.Property == property && (latest is null || observation.At >= latest.At))
                latest = observation;
        return latest;
    }

    public IEnumerable<PropertyObservation> InOrder(string property) =>
        Observations.Where(observation => observation.Property == property).OrderBy(observation => observation.At);

    /// <summary>The deal is gone when its deletion is newer than anything else heard about it (a later change means it was restored).</summary>
    public bool IsDeleted => DeletedAt is { } deleted && Observations.All(observation => observation.At <= deleted) && (CreatedAt is null || CreatedAt <= deleted);
}
