namespace DealRisk.Ingestion.Webhooks.HubSpot;

public enum HubSpotEventOutcome
{
    Applied,
    Duplicate,
    Ignored,
    Rejected,
}

public sealed record HubSpotEventResult(HubSpotEvent Event, HubSpotEventOutcome Outcome, string? Reason = null);

/// <summary>Folds a deal's events into its state: deduplicated by event key, resolved per property by change time.</summary>
public static class HubSpotEventApplier
{
    public static (HubSpotDealState State, IReadOnlyList<HubSpotEventResult> Results) Apply(
        HubSpotDealState state, IEnumerable<HubSpotEvent> events, IReadOnlyDictionary<string, string> stages)
    {
        var observations = new List<PropertyObservation>(state.Observations);
        var keys = new List<string>(state.EventKeys);
        var known = new HashSet<string>(keys);
        var createdAt = state.CreatedAt;
        var deletedAt = state.DeletedAt;
        var results = new List<HubSpotEventResult>();

        foreach (var change in events.OrderBy(e => e.OccurredAt))
        {
            if (known.Contains(change.Key))
            {
                results.Add(new HubSpotEventResult(change, HubSpotEventOutcome.Duplicate));
                continue;
            }
            HubSpotEventResult result;
            try
            {
                result = Kind(change) switch
                {
                    EventKind.Creation => Created(change, ref createdAt),
                    EventKind.Deletion => Deleted(change, ref deletedAt),
                    EventKind.PropertyChange => PropertyChanged(change, observations, stages),
                    _ => throw new HubSpotEventException(Unsupported(change)),
                };
            }
            catch (HubSpotEventException rejected)
            {
                result = new HubSpotEventResult(change, HubSpotEventOutcome.Rejected, rejected.Message);
            }
            results.Add(result);
            if (result.Outcome is HubSpotEventOutcome.Applied or HubSpotEventOutcome.Ignored && known.Add(change.Key))
                keys.Add(change.Key);
        }

        if (keys.Count > HubSpotDealState.RememberedEvents)
            keys.RemoveRange(0, keys.Count - HubSpotDealState.RememberedEvents);
        return (state with { Observations = observations, EventKeys = keys, CreatedAt = createdAt, DeletedAt = deletedAt }, results);
    }

    private enum EventKind { Creation, Deletion, PropertyChange, Other }

    private static EventKind Kind(HubSpotEvent change) => change.SubscriptionType switch
    {
        "deal.creation" => EventKind.Creation,
        "deal.deletion" => EventKind.Deletion,
        "deal.propertyChange" => EventKind.PropertyChange,
        "object.creation" when change.ObjectTypeId == HubSpotEvent.DealObjectTypeId => EventKind.Creation,
        "object.deletion" when change.ObjectTypeId == HubSpotEvent.DealObjectTypeId => EventKind.Deletion,
        "object.propertyChange" when change.ObjectTypeId == HubSpotEvent.DealObjectTypeId => EventKind.PropertyChange,
        _ => EventKind.Other,
    };

    private static string Unsupported(HubSpotEvent change) =>
        change.SubscriptionType.StartsWith("object.", StringComparison.Ordinal)
            ? $"Object type '{change.ObjectTypeId ?? "(none)"}' is not a deal: only objectTypeId {HubSpotEvent.DealObjectTypeId} is ingested."
            : $"Unsupported subscription type '{change.SubscriptionType}': expected deal.creation, deal.propertyChange, deal.deletion or object.* for deals ({HubSpotEvent.DealObjectTypeId}).";

    private static HubSpotEventResult Created(HubSpotEvent change, ref DateTimeOffset? createdAt)
    {
        if (createdAt is null || change.OccurredAtTime < createdAt)
            createdAt = change.OccurredAtTime;
        return new HubSpotEventResult(change, HubSpotEventOutcome.Applied);
    }

    private static HubSpotEventResult Deleted(HubSpotEvent change, ref DateTimeOffset? deletedAt)
    {
        if (deletedAt is null || change.OccurredAtTime > deletedAt)
            deletedAt = change.OccurredAtTime;
        return new HubSpotEventResult(change, HubSpotEventOutcome.Applied);
    }

    private static HubSpotEventResult PropertyChanged(HubSpotEvent change, List<PropertyObservation> observations, IReadOnlyDictionary<string, string> stages)
    {
        var property = change.PropertyName ?? throw new HubSpotEventException("A property change needs 'propertyName'.");
        if (!HubSpotDealProperties.IsKnown(property))
            return new HubSpotEventResult(change, HubSpotEventOutcome.Ignored, $"Property '{property}' is not used by DealRisk.");

        var value = HubSpotDealProperties.Normalize(property, change.PropertyValue);
        if (property == HubSpotDealProperties.Stage && value is not null && !stages.ContainsKey(value))
            throw new HubSpotEventException(
                $"Unknown HubSpot stage id '{value}': map it with Crm:HubSpot:Stages:{value}=<{string.Join("|", Contracts.DealStages.All)}>.");

        var observation = new PropertyObservation { Property = property, Value = value, At = change.OccurredAtTime };
        if (HubSpotDealProperties.WithHistory.Contains(property))
        {
            if (!observations.Any(seen => seen.Property == property && seen.At == observation.At && seen.Value == value))
                observations.Add(observation);
            return new HubSpotEventResult(change, HubSpotEventOutcome.Applied);
        }

        var index = observations.FindIndex(seen => seen.Property == property);
        if (index < 0)
            observations.Add(observation);
        else if (observations[index].At < observation.At)
            observations[index] = observation;
        return new HubSpotEventResult(change, HubSpotEventOutcome.Applied);
    }
}
