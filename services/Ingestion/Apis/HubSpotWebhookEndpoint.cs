using System.Globalization;
using System.Text.Json;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.HubSpot;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Apis;

/// <summary>
/// <c>POST /webhooks/hubspot</c>. A verified delivery is answered 200 once its changes are persisted and published,
/// also when some of its events were refused: those are permanent errors (recorded, listed in the answer), and a
/// 4xx would only make HubSpot resend the whole batch for a day. Only what HubSpot can fix by resending — nothing
/// here — or what is not HubSpot at all (bad signature, stale timestamp, wrong body) is answered with an error.
/// </summary>
public static class HubSpotWebhookEndpoint
{
    private const string Source = HubSpotDealSnapshot.SourceName;

    public static async Task<IResult> HandleAsync(
        HttpContext http,
        HubSpotWebhookProcessor processor,
        WebhookRejections rejections,
        IOptionsMonitor<HubSpotOptions> optionsMonitor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var options = optionsMonitor.CurrentValue;
        var request = http.Request;

        if (!WebhookBody.HasMediaType(request, "application/json"))
            return await RefuseAsync(StatusCodes.Status415UnsupportedMediaType, $"Content type must be application/json, not '{request.ContentType ?? "(none)"}'.");

        var body = await WebhookBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
        if (body is null)
            return await RefuseAsync(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.MaxBodyBytes} bytes (Crm:HubSpot:MaxBodyBytes).");

        if (string.IsNullOrEmpty(options.ClientSecret))
            return await RefuseAsync(StatusCodes.Status503ServiceUnavailable, "No HubSpot client secret is configured (Crm__HubSpot__ClientSecret): webhooks cannot be verified.");

        var timestamp = request.Headers[HubSpotSignature.TimestampHeader].ToString();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestampMs))
            return await RefuseAsync(StatusCodes.Status401Unauthorized, $"Missing or malformed {HubSpotSignature.TimestampHeader} header.");
        var now = time.GetUtcNow();
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(timestampMs, 0, 253402300799999));
        if (age > options.MaxSignatureAge)
            return await RefuseAsync(StatusCodes.Status401Unauthorized, $"{HubSpotSignature.TimestampHeader} is {age.TotalMinutes:0.#} minutes old; requests older than {options.MaxSignatureAge.TotalMinutes:0.#} minutes are refused.");
        if (-age > options.ClockSkew)
            return await RefuseAsync(StatusCodes.Status401Unauthorized, $"{HubSpotSignature.TimestampHeader} is {-age.TotalMinutes:0.#} minutes in the future; more than {options.ClockSkew.TotalMinutes:0.#} minutes ahead is refused.");

        var signature = request.Headers[HubSpotSignature.SignatureHeader].ToString();
        if (string.IsNullOrEmpty(signature))
            return await RefuseAsync(StatusCodes.Status401Unauthorized, $"Missing {HubSpotSignature.SignatureHeader} header.");
        var signedUri = options.SignedUri($"{request.PathBase}{request.Path}{request.QueryString}", request.GetEncodedUrl());
        if (!HubSpotSignature.Matches(options.ClientSecret, request.Method, signedUri, body, timestamp, signature))
            return await RefuseAsync(StatusCodes.Status401Unauthorized, $"{HubSpotSignature.SignatureHeader} does not match the request (check the client secret and, behind a proxy, Crm:HubSpot:PublicBaseUrl).");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException malformed)
        {
            return await RefuseAsync(StatusCodes.Status400BadRequest, $"Malformed JSON: {malformed.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return await RefuseAsync(StatusCodes.Status400BadRequest, $"Expected a JSON array of events, not {document.RootElement.ValueKind}.");
            if (document.RootElement.GetArrayLength() > options.MaxEventsPerRequest)
                return await RefuseAsync(StatusCodes.Status400BadRequest, $"A delivery holds at most {options.MaxEventsPerRequest} events, not {document.RootElement.GetArrayLength()}.");

            var events = new List<HubSpotEvent>();
            var unreadable = new List<HubSpotEventError>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                try
                {
                    var read = HubSpotEventReader.Read(element, index);
                    if ((FieldLimits.Id("propertyName", read.PropertyName) ?? HubSpotDealProperties.LengthProblem(read.PropertyName ?? "propertyValue", read.PropertyValue)) is { } tooLong)
                        throw new HubSpotEventException(tooLong.Reason);
                    if (!options.AcceptsPortal(read.PortalId))
                        throw new HubSpotEventException($"Portal {read.PortalId} is not in Crm:HubSpot:PortalIds.");
                    if (read.OccurredAt < 0 || read.OccurredAt > (now + options.ClockSkew).ToUnixTimeMilliseconds())
                        throw new HubSpotEventException($"'occurredAt' {read.OccurredAt} is before 1970 or more than {options.ClockSkew.TotalMinutes:0.#} minutes in the future.");
                    events.Add(read);
                }
                catch (HubSpotEventException bad)
                {
                    unreadable.Add(new HubSpotEventError(index, HubSpotEventReader.PeekLong(element, "eventId"), HubSpotEventReader.PeekLong(element, "objectId"), bad.Message));
                }
                index++;
            }
            return Results.Ok(await processor.ProcessAsync(events, unreadable, cancellationToken));
        }

        async Task<IResult> RefuseAsync(int statusCode, string reason)
        {
            await rejections.RecordRequestAsync(Source, statusCode, reason, http, cancellationToken);
            return Results.Problem(reason, statusCode: statusCode);
        }
    }
}
