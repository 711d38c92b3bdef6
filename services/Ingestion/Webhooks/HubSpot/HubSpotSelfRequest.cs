using System.Globalization;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>
/// The warm-up's own HubSpot delivery: an empty batch of events, signed like HubSpot's, which the endpoint verifies,
/// reads and answers 200 with nothing stored or published. Not sent without a client secret: the endpoint would refuse
/// it, and no real delivery could be verified either.
/// </summary>
public static class HubSpotSelfRequest
{
    private static readonly byte[] Body = "[]"u8.ToArray();

    public static readonly SelfRequest EmptyDelivery = new("/webhooks/hubspot", "application/json", Body, Sign);

    private static IReadOnlyList<KeyValuePair<string, string>>? Sign(IServiceProvider services, Uri uri)
    {
        var options = services.GetRequiredService<IOptionsMonitor<HubSpotOptions>>().CurrentValue;
        if (string.IsNullOrEmpty(options.ClientSecret))
            return null;
        var timestamp = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signed = options.SignedUri(uri.PathAndQuery, uri.AbsoluteUri);
        return
        [
            new(HubSpotSignature.TimestampHeader, timestamp),
            new(HubSpotSignature.SignatureHeader, HubSpotSignature.Compute(options.ClientSecret, HttpMethods.Post, signed, Body, timestamp)),
        ];
    }
}
