using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";

    /// <summary>Health checks with this tag decide readiness (<c>/health/ready</c>): the bus, the warm-up, the stores.</summary>
    public const string ReadyTag = "ready";

    /// <summary>OpenTelemetry, health checks and resilient HTTP clients: what every DealRisk host sets up the same way.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureDealRiskTelemetry();

        builder.Services.AddEdge();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        builder.Services.ConfigureHttpClientDefaults(http => http
            .WithRedactedLogging()
            .AddStandardResilienceHandler());
        // These write the full request path, which for the Salesforce webhook is its secret token.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // Two lines per request ("Executing endpoint" / "Executed endpoint") on the console cost every webhook delivery
        // time on a busy machine and tell an operator nothing the request's span and metrics do not.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Services.AddDealRiskApiDescription();
        return builder;
    }

    /// <summary>
    /// <c>/health</c>: every check; <c>/health/ready</c>: the checks tagged <see cref="ReadyTag"/> (take traffic);
    /// <c>/health/live</c> and <c>/alive</c>: the process answers (do not restart it).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var live = new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) };
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapHealthChecks("/health/live", live);
        app.MapHealthChecks("/alive", live);
        app.MapDealRiskApiDescription();
        app.MapDealRiskMetrics();
        return app;
    }
}
