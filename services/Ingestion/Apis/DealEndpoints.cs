using DealRisk.Ingestion.Deals;

namespace DealRisk.Ingestion.Apis;

public static class DealEndpoints
{
    public static IEndpointRouteBuilder MapDealEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/deals/{source}/{externalId}", async (string source, string externalId, DealRepository deals, CancellationToken ct) =>
                await deals.GetAsync(source, externalId, ct) is { } deal ? Results.Ok(deal) : Results.NotFound())
            .AddEndpointFilter<ApiKeyFilter>();
        return routes;
    }
}
