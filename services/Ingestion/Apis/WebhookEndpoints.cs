using DealRisk.Ingestion.Webhooks.HubSpot;
using DealRisk.ServiceDefaults;

namespace DealRisk.Ingestion.Apis;

/// <summary>CRM webhooks: authenticated by the CRM's own signature, or by a secret path token and organization, not by the management API key.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks/hubspot", HubSpotWebhookEndpoint.HandleAsync)
            .AddEndpointFilter<WebhookAvailabilityFilter>()
            .WithTags("Webhooks").WithSummary("HubSpot deal webhooks (at most 100 events per delivery)")
            .DescribeAuthentication(ApiAuthSchemes.HubSpotSignature)
            .DescribeRequestExample("application/json", WebhookExamples.HubSpot)
            .Produces<HubSpotBatchResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        routes.MapPost("/webhooks/salesforce/{token}", SalesforceWebhookEndpoint.HandleAsync)
            .AddEndpointFilter<WebhookAvailabilityFilter>()
            .WithTags("Webhooks").WithSummary("Salesforce Outbound Messages on Opportunity (SOAP)")
            .DescribeAuthentication(ApiAuthSchemes.SalesforceOrganization)
            .DescribeRequestExample("text/xml", WebhookExamples.Salesforce)
            .Produces<string>(StatusCodes.Status200OK, "text/xml")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return routes;
    }
}
