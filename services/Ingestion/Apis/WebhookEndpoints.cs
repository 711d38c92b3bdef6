namespace DealRisk.Ingestion.Apis;

/// <summary>CRM webhooks: authenticated by the CRM's own signature, or by a secret path token and organization, not by the management API key.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks/hubspot", HubSpotWebhookEndpoint.HandleAsync);
        routes.MapPost("/webhooks/salesforce/{token}", SalesforceWebhookEndpoint.HandleAsync);
        return routes;
    }
}
