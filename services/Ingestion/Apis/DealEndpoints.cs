using System.Text.Json;
using System.Text.Json.Nodes;
using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.ServiceDefaults;

namespace DealRisk.Ingestion.Apis;

public static class DealEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapDealEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/deals/{source}/{externalId}", GetDealAsync).AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Deals").WithSummary("The canonical deal with its history, data-quality flags and latestScore (null until scored)")
            .DescribeAuthentication(ApiAuthSchemes.ApiKey)
            .Produces<DealSnapshot>().Produces(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized);
        routes.MapGet("/deals/{source}/{externalId}/scores", GetScoresAsync).AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Deals").WithSummary("The deal's score history, newest first, each score with its trigger and its movement from the previous one")
            .DescribeAuthentication(ApiAuthSchemes.ApiKey)
            .Produces<IReadOnlyList<DealScoreItem>>().Produces(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    /// <summary>The canonical deal (with its history and data-quality flags) and, beside its fields, <c>latestScore</c> (null until scored).</summary>
    private static async Task<IResult> GetDealAsync(string source, string externalId, DealRepository deals, LatestScores scores, CancellationToken cancellationToken)
    {
        if (await deals.GetAsync(source, externalId, cancellationToken) is not { } deal)
            return Results.NotFound();
        var body = JsonSerializer.SerializeToNode(deal, Json)!.AsObject();
        var latest = await scores.GetAsync(source, externalId, cancellationToken);
        body["latestScore"] = latest is null ? null : View(latest);
        return Results.Json(body, Json);
    }

    /// <summary>The score as scoring published it, with the deal version, stage and days in stage it was computed on beside it instead of the whole deal profile.</summary>
    private static JsonObject View(LatestScore latest)
    {
        var view = JsonSerializer.SerializeToNode(latest.Score, Json)!.AsObject();
        view.Remove("deal");
        view["asOf"] = latest.AsOf;
        view["dealVersion"] = latest.Score.Deal.Version;
        view["stage"] = latest.Score.Deal.Stage;
        view["daysInStage"] = latest.Score.Deal.DaysInStage;
        return view;
    }

    /// <summary>The history is scoring's: asked for over the bus, and 503 with <c>Retry-After</c> when scoring does not answer in time.</summary>
    private static async Task<IResult> GetScoresAsync(
        string source, string externalId, DealRepository deals, ScoreHistoryClient history, HttpContext context, CancellationToken cancellationToken)
    {
        if (await deals.GetAsync(source, externalId, cancellationToken) is not { } deal)
            return Results.NotFound();
        if (await history.GetAsync(source, externalId, cancellationToken) is not { } scores)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            return Results.Problem(
                title: "Score history unavailable",
                detail: "The scoring service, which keeps the score history, did not answer in time. Try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return Results.Json(DealScoreItem.Of(scores, deal), Json);
    }

    private const string RetryAfterSeconds = "5";
}
