using System.Globalization;
using System.Text.Json;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>One event of a HubSpot webhook batch, as documented for deal and generic object subscriptions.</summary>
public sealed record HubSpotEvent
{
    public const string DealObjectTypeId = "0-3";

    /// <summary>Position in the delivered batch, for error reports.</summary>
    public int Index { get; init; }
    public required long EventId { get; init; }
    public required long SubscriptionId { get; init; }
    public required long PortalId { get; init; }
    public required long OccurredAt { get; init; }
    public required string SubscriptionType { get; init; }
    public required long ObjectId { get; init; }
    public string? ObjectTypeId { get; init; }
    public string? PropertyName { get; init; }
    public string? PropertyValue { get; init; }
    public string? ChangeSource { get; init; }

    /// <summary>HubSpot does not promise a unique eventId; these four together identify one delivery's event.</summary>
    public string Key => $"{PortalId}:{SubscriptionId}:{EventId}:{OccurredAt}";

    public DateTimeOffset OccurredAtTime => DateTimeOffset.FromUnixTimeMilliseconds(OccurredAt);

    public string DealId => ObjectId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An event that could not be used, with enough of its identity for an operator to find it in HubSpot.</summary>
public sealed record HubSpotEventError(int Index, long? EventId, long? ObjectId, string Reason);

/// <summary>Reads a batch element by element, so one malformed event is reported without losing the others.</summary>
public static class HubSpotEventReader
{
    public static HubSpotEvent Read(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new HubSpotEventException($"An event must be a JSON object, not {element.ValueKind}.");
        return new HubSpotEvent
        {
            Index = index,
            EventId = RequiredLong(element, "eventId"),
            SubscriptionId = RequiredLong(element, "subscriptionId"),
            PortalId = RequiredLong(element, "portalId"),
            OccurredAt = RequiredLong(element, "occurredAt"),
            SubscriptionType = OptionalString(element, "subscriptionType") ?? throw new HubSpotEventException("'subscriptionType' is missing."),
            ObjectId = RequiredLong(element, "objectId"),
            ObjectTypeId = OptionalString(element, "objectTypeId"),
            PropertyName = OptionalString(element, "propertyName"),
            PropertyValue = OptionalString(element, "propertyValue"),
            ChangeSource = OptionalString(element, "changeSource"),
        };
    }

    public static long? PeekLong(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    private static long RequiredLong(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new HubSpotEventException($"'{name}' is missing.");
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            return number;
        throw new HubSpotEventException($"'{name}' must be an integer, not {Describe(value)}.");
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new HubSpotEventException($"'{name}' must be a string, not {Describe(value)}."),
        };
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"\"{Truncate(value.GetString())}\"",
        _ => value.GetRawText(),
    };

    private static string? Truncate(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;
}

public sealed class HubSpotEventException(string message) : Exception(message);
