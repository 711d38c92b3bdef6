using System.Globalization;
using DealRisk.ServiceDefaults;

namespace DealRisk.Ingestion.Apis;

/// <summary>
/// Answers 503 with <c>Retry-After</c> while the service is still warming up, and when a delivery could not be stored,
/// so the CRM resends it (HubSpot and Salesforce both retry a 503) instead of waiting on a cold or failing process. The
/// service's own warm-up requests (<see cref="SelfRequests"/>) go through before ready, so the first real delivery
/// finds the endpoint's path compiled.
/// </summary>
public sealed class WebhookAvailabilityFilter(WarmUpState state, SelfRequests selfRequests, ILogger<WebhookAvailabilityFilter> logger) : IEndpointFilter
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!state.IsWarm && !selfRequests.IsSelfRequest(context.HttpContext.Request))
            return Unavailable(context.HttpContext, "The service is starting and not ready for webhooks yet; retry shortly.");
        try
        {
            return await next(context);
        }
        catch (Exception e) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "A webhook delivery to {Path} could not be stored; asked the CRM to retry", context.HttpContext.Request.Path);
            return Unavailable(context.HttpContext, "The delivery could not be stored; retry shortly.");
        }
    }

    private static IResult Unavailable(HttpContext http, string reason)
    {
        http.Response.Headers.RetryAfter = RetryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(reason, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
