using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DealRisk.Ingestion.Tests;

/// <summary>HubSpot webhook payloads in the documented shape, signed the way HubSpot's v3 documentation describes.</summary>
internal static class HubSpotWebhooks
{
    public const string Uri = "http://localhost/webhooks/hubspot";
    public const long PortalId = 62515;
    public const long SubscriptionId = 7001;
    private static long _nextEventId = 100;

    public static JsonObject PropertyChange(long dealId, string property, string value, DateTimeOffset occurredAt, long? eventId = null) => new()
    {
        ["eventId"] = eventId ?? Interlocked.Increment(ref _nextEventId),
        ["subscriptionId"] = SubscriptionId,
        ["portalId"] = PortalId,
        ["appId"] = 1160452,
        ["occurredAt"] = occurredAt.ToUnixTimeMilliseconds(),
        ["subscriptionType"] = "deal.propertyChange",
        ["attemptNumber"] = 0,
        ["objectId"] = dealId,
        ["changeSource"] = "CRM_UI",
        ["propertyName"] = property,
        ["propertyValue"] = value,
    };

    public static JsonObject Creation(long dealId, DateTimeOffset occurredAt) => new()
    {
        ["eventId"] = Interlocked.Increment(ref _nextEventId),
        ["subscriptionId"] = SubscriptionId + 1,
        ["portalId"] = PortalId,
        ["appId"] = 1160452,
        ["occurredAt"] = occurredAt.ToUnixTimeMilliseconds(),
        ["subscriptionType"] = "deal.creation",
        ["attemptNumber"] = 0,
        ["objectId"] = dealId,
        ["changeFlag"] = "CREATED",
        ["changeSource"] = "CRM_UI",
    };

    public static JsonObject Deletion(long dealId, DateTimeOffset occurredAt) => new()
    {
        ["eventId"] = Interlocked.Increment(ref _nextEventId),
        ["subscriptionId"] = SubscriptionId + 2,
        ["portalId"] = PortalId,
        ["appId"] = 1160452,
        ["occurredAt"] = occurredAt.ToUnixTimeMilliseconds(),
        ["subscriptionType"] = "deal.deletion",
        ["attemptNumber"] = 0,
        ["objectId"] = dealId,
        ["changeFlag"] = "DELETED",
    };

    public static JsonObject GenericPropertyChange(string objectTypeId, long objectId, string property, string value, DateTimeOffset occurredAt) => new()
    {
        ["eventId"] = Interlocked.Increment(ref _nextEventId),
        ["subscriptionId"] = SubscriptionId + 3,
        ["portalId"] = PortalId,
        ["appId"] = 1160452,
        ["occurredAt"] = occurredAt.ToUnixTimeMilliseconds(),
        ["subscriptionType"] = "object.propertyChange",
        ["objectTypeId"] = objectTypeId,
        ["attemptNumber"] = 0,
        ["objectId"] = objectId,
        ["propertyName"] = property,
        ["propertyValue"] = value,
    };

    public static string EventBatch(params JsonNode[] events) => new JsonArray(events.Select(e => e.DeepClone()).ToArray()).ToJsonString();

    public static HttpRequestMessage Signed(string body, string secret = IngestionApiFactory.HubSpotSecret, DateTimeOffset? timestamp = null, string uri = Uri, string contentType = "application/json")
    {
        var stamp = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/hubspot") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-HubSpot-Request-Timestamp", stamp);
        request.Headers.Add("X-HubSpot-Signature-v3", Signature(secret, "POST", uri, body, stamp));
        return request;
    }

    public static string Signature(string secret, string method, string uri, string body, string timestamp)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(method + uri + body + timestamp)));
    }

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
