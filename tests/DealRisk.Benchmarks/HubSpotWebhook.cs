using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DealRisk.Benchmarks;

/// <summary>Signed HubSpot webhook batches as HubSpot sends them (v3 signature over method, URI, body and timestamp).</summary>
public sealed class HubSpotWebhook(HttpClient http, Uri endpoint, string clientSecret)
{
    private long _eventId = 1_000;

    public async Task<HttpResponseMessage> SendStageChangesAsync(IReadOnlyList<(string DealId, string StageId)> changes, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(changes);
        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>GET /health/ready on the same client: opens its connections to the service without sending a change.</summary>
    public async Task<bool> ProbeReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(endpoint, "/health/ready"), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The signed request for these changes, as it would be sent.</summary>
    public HttpRequestMessage CreateRequest(IReadOnlyList<(string DealId, string StageId)> changes)
    {
        var occurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = changes.Select(change => new
        {
            eventId = Interlocked.Increment(ref _eventId),
            subscriptionId = 4242,
            portalId = 62515,
            appId = 1160452,
            occurredAt,
            subscriptionType = "deal.propertyChange",
            attemptNumber = 0,
            objectId = long.Parse(change.DealId),
            changeSource = "CRM_UI",
            propertyName = "dealstage",
            propertyValue = change.StageId,
        });
        var body = JsonSerializer.Serialize(events);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(clientSecret));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("POST" + endpoint.AbsoluteUri + body + timestamp)));

        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        return request;
    }
}
