using DealRisk.Notification.Dashboard;
using DealRisk.Notification.Storage;
using DealRisk.ServiceDefaults;

namespace DealRisk.Notification.TrackRecord;

/// <summary><c>/dashboard/track-record</c> (the page) and <c>/dashboard/api/track-record</c> (its figures), behind the dashboard's sign-in.</summary>
public static class TrackRecordEndpoints
{
    public const string LatestId = "latest";
    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static RouteGroupBuilder MapTrackRecord(this RouteGroupBuilder dashboard)
    {
        dashboard.MapGet("/track-record", async (HttpContext context, NotificationStore store) =>
        {
            var record = await store.TrackRecord.GetAsync(LatestId, context.RequestAborted);
            context.Response.Headers.ContentSecurityPolicy = Policy;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Content(TrackRecordPage.Render(record, context.User.Identity?.Name ?? ""), "text/html; charset=utf-8");
        }).RequireAuthorization(DashboardEndpoints.Policy)
            .WithSummary("The model's track record page").DescribeAuthentication(ApiAuthSchemes.DashboardCookie)
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found);
        dashboard.MapGet("/api/track-record", async (HttpContext context, NotificationStore store) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return await store.TrackRecord.GetAsync(LatestId, context.RequestAborted) is { } record ? Results.Ok(record) : Results.NotFound();
        }).RequireAuthorization(DashboardEndpoints.Policy)
            .WithSummary("The model's track record as JSON; 404 until scoring published one").DescribeAuthentication(ApiAuthSchemes.DashboardCookie)
            .Produces<DealRisk.Contracts.TrackRecordUpdated>().Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status404NotFound);
        return dashboard;
    }
}
