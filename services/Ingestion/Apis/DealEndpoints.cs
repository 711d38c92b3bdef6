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
            .WithTags("Deals").WithSummary("The canonical deal with its history, data-quality flags and latestScore (null when scoring holds no score of it)")
            .WithDescription(LatestScoreDescription)
            .DescribeAuthentication(ApiAuthSchemes.ApiKey)
            .Produces<DealSnapshot>().Produces(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        routes.MapGet("/deals/{source}/{externalId}/scores", GetScoresAsync).AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Deals").WithSummary("The deal's score history, newest first, each score with its trigger and its movement from the previous one")
            .DescribeAuthentication(ApiAuthSchemes.ApiKey)
            .Produces<IReadOnlyList<DealScoreItem>>().Produces(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private const string LatestScoreDescription =
        "latestScore is the deal's newest score as scoring keeps it (asked for over the bus, bounded by ScoreHistory__RequestTimeout): " +
        "null when scoring holds no score of the deal. When scoring does not answer in time the answer is 503 with Retry-After, never a deal " +
        "that looks unscored.";

    /// <summary>The canonical deal (with its history and data-quality flags) and, beside its fields, <c>latestScore</c>, which is scoring's.</summary>
    private static async Task<IResult> GetDealAsync(
        string source, string externalId, DealRepository deals, ScoreHistoryClient scoring, HttpContext context, CancellationToken cancellationToken)
    {
        if (await deals.GetAsync(source, externalId, cancellationToken) is not { } deal)
            return Results.NotFound();
        if (await scoring.GetLatestAsync(source, externalId, cancellationToken) is not { } latest)
            return ScoringDidNotAnswer(context, "Latest score unavailable", "The scoring service, which keeps each deal's latest score, did not answer in time. Try again shortly.");
        var body = JsonSerializer.SerializeToNode(deal, Json)!.AsObject();
        body["latestScore"] = latest.Score is { } score ? View(score) : null;
        return Results.Json(body, Json);
    }

    /// <summary>
    /// The score in the fields and order the API has always answered with (the contributions and raw score are kept by
    /// scoring alone, so they stay null), and the deal version, stage and days in stage it was computed on, so a stale score shows.
    /// </summary>
    private static JsonObject View(HistoricScore score) => new()
    {
        ["score"] = score.Score,
        ["level"] = score.Level,
        ["reasons"] = JsonSerializer.SerializeToNode(score.Reasons, Json),
        ["factors"] = JsonSerializer.SerializeToNode(score.Factors, Json),
        ["action"] = score.Action,
        ["scorer"] = score.Scorer,
        ["modelVersion"] = score.ModelVersion,
        ["contributions"] = null,
        ["rawScore"] = null,
        ["trigger"] = JsonSerializer.SerializeToNode(score.Trigger, Json),
        ["movement"] = score.Movement is { } movement ? JsonSerializer.SerializeToNode(movement, Json) : null,
        ["asOf"] = score.AsOf,
        ["dealVersion"] = score.DealVersion,
        ["stage"] = score.Stage,
        ["daysInStage"] = score.DaysInStage,
    };

    /// <summary>The history is scoring's: asked for over the bus, and 503 with <c>Retry-After</c> when scoring does not answer in time.</summary>
    private static async Task<IResult> GetScoresAsync(
        string source, string externalId, DealRepository deals, ScoreHistoryClient history, HttpContext context, CancellationToken cancellationToken)
    {
        if (await deals.GetAsync(source, externalId, cancellationToken) is not { } deal)
            return Results.NotFound();
        if (await history.GetAsync(source, externalId, cancellationToken) is not { } scores)
            return ScoringDidNotAnswer(context, "Score history unavailable", "The scoring service, which keeps the score history, did not answer in time. Try again shortly.");
        return Results.Json(DealScoreItem.Of(scores, deal), Json);
    }

    private static IResult ScoringDidNotAnswer(HttpContext context, string title, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private const string RetryAfterSeconds = "5";
}
