using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using DealRisk.Notification.TrackRecord;
using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// The CRO dashboard behind cookie sign-in: <c>/dashboard</c> (the page) and <c>/dashboard/api/summary</c> (its data)
/// serve nothing to an anonymous request; the page redirects to sign-in, the data answers 401.
/// </summary>
public static class DashboardEndpoints
{
    public const string Policy = "dashboard";

    /// <summary>The sign-in page runs no script and may not be framed (no click-jacking of the password form).</summary>
    public const string SignInPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.Password = string.IsNullOrEmpty(options.Password) ? configuration["DASHBOARD_PASSWORD"] : options.Password);
        services.AddSingleton<DashboardQuery>();
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimitedPath(new RateLimitedPath("sign-in", HttpMethods.Post, "/dashboard/sign-in",
            provider => provider.GetRequiredService<IOptions<DashboardOptions>>().Value.SignInRequestsPerMinute));
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, DashboardSessionsSetup>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
            {
                cookie.Cookie.Name = "dealrisk.dashboard";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.Path = "/dashboard";
                cookie.LoginPath = "/dashboard/sign-in";
                cookie.SlidingExpiration = false;
                cookie.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/dashboard/api"))
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else
                        context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) =>
            {
                cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime;
                if (!dashboard.Value.SecureCookie)
                    cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAuthenticatedUser());
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var dashboard = app.MapGroup("/dashboard").WithTags("Dashboard");
        dashboard.MapGet("/sign-in", (HttpContext context, IOptions<DashboardOptions> options) =>
        {
            context.Response.Headers.ContentSecurityPolicy = SignInPolicy;
            context.Response.Headers.XFrameOptions = "DENY";
            return Html(context, DashboardPage.SignIn(context.Request.Query.ContainsKey("failed"), !string.IsNullOrEmpty(options.Value.Password)));
        }).AllowAnonymous()
            .WithSummary("The sign-in page").Produces<string>(StatusCodes.Status200OK, "text/html");
        dashboard.MapPost("/sign-in", SignInAsync).AllowAnonymous().DisableAntiforgery()
            .WithSummary("Sign in with username and password (form); sets the dashboard cookie and redirects")
            .DescribeRequestExample("application/x-www-form-urlencoded", "username=cro&password=<DASHBOARD_PASSWORD>")
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status429TooManyRequests);
        dashboard.MapPost("/sign-out", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/dashboard/sign-in");
        }).WithSummary("Sign out").DescribeAuthentication(ApiAuthSchemes.DashboardCookie).Produces(StatusCodes.Status302Found);
        dashboard.MapGet("", async (HttpContext context, DashboardQuery query) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var view = await query.BuildAsync(context.RequestAborted);
            context.Response.Headers.ContentSecurityPolicy =
                $"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            return Html(context, DashboardPage.Render(view, context.User.Identity?.Name ?? "", nonce));
        }).RequireAuthorization(Policy)
            .WithSummary("The CRO dashboard page").DescribeAuthentication(ApiAuthSchemes.DashboardCookie)
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found);
        dashboard.MapGet("/deals/{source}/{externalId}", async (string source, string externalId, HttpContext context, ScoreHistoryClient history) =>
        {
            var entries = await history.GetAsync(source, externalId, context.RequestAborted);
            context.Response.Headers.ContentSecurityPolicy = DealPage.Policy;
            if (entries is null)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "5";
                return Html(context, DealPage.RenderUnavailable(source, externalId));
            }
            if (entries.Count == 0)
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Html(context, DealPage.Render(source, externalId, entries));
        }).RequireAuthorization(Policy)
            .WithSummary("One deal's score timeline with its CRM changes and every movement").DescribeAuthentication(ApiAuthSchemes.DashboardCookie)
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status302Found)
            .Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/html");
        dashboard.MapGet("/api/summary", async (HttpContext context, DashboardQuery query) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(await query.BuildAsync(context.RequestAborted));
        }).RequireAuthorization(Policy)
            .WithSummary("What the dashboard shows, as JSON").DescribeAuthentication(ApiAuthSchemes.DashboardCookie)
            .Produces(StatusCodes.Status401Unauthorized);
        dashboard.MapTrackRecord();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IOptions<DashboardOptions> options, SignInThrottle throttle, ILoggerFactory loggers)
    {
        var address = context.Connection.RemoteIpAddress;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var userName = options.Value.Known(form["username"]);
        if (!throttle.TryBegin(userName, address))
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        if (!options.Value.Accepts(form["username"], form["password"]))
        {
            loggers.CreateLogger(typeof(DashboardEndpoints)).LogWarning("A dashboard sign-in was refused");
            return Results.Redirect("/dashboard/sign-in?failed");
        }
        throttle.Succeeded(userName, address);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, options.Value.UserName)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect("/dashboard");
    }

    private static IResult Html(HttpContext context, string html)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
