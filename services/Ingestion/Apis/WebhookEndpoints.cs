namespace DealRisk.Ingestion.Apis;

/// <summary>CRM webhooks: authenticated by the CRM's own signature or organization, not by the management API key.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks/hubspot", HubSpotWebhookEndpoint.HandleAsync).AddEndpointFilter<WebhookAvailabilityFilter>();
        routes.MapPost("/webhooks/salesforce", SalesforceWebhookEndpoint.HandleAsync).AddEndpointFilter<WebhookAvailabilityFilter>();
        return routes;
    }
}
