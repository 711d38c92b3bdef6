using System.Globalization;
using System.Text.Json;
using DealRisk.Ingestion.Apis;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>
/// A signed HubSpot delivery handed to the webhook's handler on the scratch copy of ingestion, as Kestrel would hand it:
/// a deal it has not seen, with the properties a CRM deal carries (amount, close date, owner, contacts, activity), and a
/// stage change to the deal of the step before, so both the new-deal path and the changed-deal path of a complete deal
/// (its stored amount and dates read back) run. Signed with the configured client secret, which never leaves the process.
/// </summary>
public static class HubSpotWebhookRehearsal
{
    private const string Path = "/webhooks/hubspot";
    /// <summary>The HubSpot id of the rehearsal's first deal; the deals of later steps follow it.</summary>
    public const long FirstDealId = 9_900_000_000;

    public static readonly IRehearsalStep Step = new CallRehearsal(SendAsync);

    private static async Task SendAsync(IServiceProvider services, int index, CancellationToken cancellationToken)
    {
        var optionsMonitor = services.GetRequiredService<IOptionsMonitor<HubSpotOptions>>();
        var options = optionsMonitor.CurrentValue;
        var time = services.GetRequiredService<TimeProvider>();
        var body = Body(options, index, time.GetUtcNow());
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        var http = new DefaultHttpContext { RequestServices = services };
        var request = http.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString("localhost");
        request.Path = Path;
        request.ContentType = "application/json";
        request.ContentLength = body.Length;
        request.Body = new MemoryStream(body);
        request.Headers[HubSpotSignature.TimestampHeader] = timestamp;
        var uri = options.SignedUri(Path, "http://localhost" + Path);
        if (!string.IsNullOrEmpty(options.ClientSecret))
            request.Headers[HubSpotSignature.SignatureHeader] = HubSpotSignature.Compute(options.ClientSecret, request.Method, uri, body, timestamp);
        http.Response.Body = Stream.Null;

        var result = await HubSpotWebhookEndpoint.HandleAsync(http, services.GetRequiredService<HubSpotWebhookProcessor>(),
            services.GetRequiredService<WebhookRejections>(), optionsMonitor, time, cancellationToken);
        await result.ExecuteAsync(http);
        if (http.Response.StatusCode != StatusCodes.Status200OK)
            throw new InvalidOperationException($"The rehearsed HubSpot delivery was answered {http.Response.StatusCode}, not 200.");
    }

    private static byte[] Body(HubSpotOptions options, int index, DateTimeOffset now)
    {
        var stages = options.Stages.Where(stage => !Contracts.DealStages.IsClosed(stage.Value)).Select(stage => stage.Key).DefaultIfEmpty("appointmentscheduled").ToList();
        var portal = options.PortalIds.FirstOrDefault(62515);
        var newDeal = new (string Property, string Value)[]
        {
            (HubSpotDealProperties.DealName, $"Rehearsal deal {index}"),
            (HubSpotDealProperties.Stage, stages[index % stages.Count]),
            (HubSpotDealProperties.Amount, (12_500 + 250 * index).ToString(CultureInfo.InvariantCulture) + ".50"),
            (HubSpotDealProperties.CloseDate, now.AddDays(30 + index % 40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (HubSpotDealProperties.Owner, (1000 + index % 7).ToString(CultureInfo.InvariantCulture)),
            (HubSpotDealProperties.ContactCount, (1 + index % 4).ToString(CultureInfo.InvariantCulture)),
            (HubSpotDealProperties.NextStep, "Send the proposal"),
            (HubSpotDealProperties.LastContacted, now.AddDays(-(index % 20)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        };
        var changes = newDeal.Select(change => (Deal: index, change.Property, change.Value))
            .Append((Deal: Math.Max(0, index - 1), Property: HubSpotDealProperties.Stage, Value: stages[(index + 1) % stages.Count]));
        var events = changes.Select((change, position) => new
        {
            eventId = FirstDealId + 16L * index + position,
            subscriptionId = 1,
            portalId = portal,
            occurredAt = now.ToUnixTimeMilliseconds(),
            subscriptionType = "deal.propertyChange",
            attemptNumber = 0,
            objectId = FirstDealId + change.Deal,
            changeSource = "CRM_UI",
            propertyName = change.Property,
            propertyValue = change.Value,
        });
        return JsonSerializer.SerializeToUtf8Bytes(events);
    }
}
