using System.Xml;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.Salesforce;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Apis;

/// <summary>
/// <c>POST /webhooks/salesforce/{token}</c>: Salesforce Outbound Messages for Opportunity. A readable message from an
/// accepted org is acknowledged once applied, also when single notifications were refused (recorded): Salesforce
/// would otherwise resend them for a day. A wrong token is 404 (as if nothing listened there), an address outside
/// the allow-list or an org not configured 403, unreadable XML or more notifications than Salesforce sends 400.
/// </summary>
public static class SalesforceWebhookEndpoint
{
    private const string Source = SalesforceOpportunity.SourceName;

    public static async Task<IResult> HandleAsync(
        string token,
        HttpContext http,
        SalesforceOutboundProcessor processor,
        WebhookRejections rejections,
        IOptionsMonitor<SalesforceOptions> optionsMonitor,
        CancellationToken cancellationToken)
    {
        var options = optionsMonitor.CurrentValue;
        if (!options.HasEndpointToken(token))
        {
            await rejections.RecordRequestAsync(Source, StatusCodes.Status404NotFound, "Unknown endpoint token (Crm__Salesforce__EndpointToken).", http, cancellationToken);
            return Results.NotFound();
        }
        if (!options.AllowsAddress(http.Connection.RemoteIpAddress))
            return await RefuseAsync(StatusCodes.Status403Forbidden, $"Address {http.Connection.RemoteIpAddress?.ToString() ?? "(unknown)"} is not in Crm:Salesforce:AllowedNetworks.");
        if (!WebhookBody.HasMediaType(http.Request, "text/xml", "application/soap+xml", "application/xml"))
            return await RefuseAsync(StatusCodes.Status415UnsupportedMediaType, $"Content type must be text/xml (SOAP), not '{http.Request.ContentType ?? "(none)"}'.");

        var body = await WebhookBody.ReadAsync(http.Request, options.MaxBodyBytes, cancellationToken);
        if (body is null)
            return await RefuseAsync(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.MaxBodyBytes} bytes (Crm:Salesforce:MaxBodyBytes).");

        OutboundMessage message;
        try
        {
            message = OutboundMessageReader.Read(body, options.MaxNotificationsPerMessage);
        }
        catch (XmlException unreadable)
        {
            return await RefuseAsync(StatusCodes.Status400BadRequest, $"Unreadable XML (DTDs and external entities are refused): {unreadable.Message}");
        }
        catch (OutboundMessageException invalid)
        {
            return await RefuseAsync(StatusCodes.Status400BadRequest, invalid.Message);
        }

        if (!options.Accepts(message.OrganizationId))
            return await RefuseAsync(StatusCodes.Status403Forbidden, $"Organization {message.OrganizationId} is not in Crm:Salesforce:OrganizationIds.");

        await processor.ProcessAsync(message, cancellationToken);
        return Results.Text(OutboundMessageReader.Ack(true), "text/xml; charset=utf-8");

        async Task<IResult> RefuseAsync(int statusCode, string reason)
        {
            await rejections.RecordRequestAsync(Source, statusCode, reason, http, cancellationToken);
            return Results.Problem(reason, statusCode: statusCode);
        }
    }
}
