using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// First in every pipeline (before authentication, which needs the client's real address and scheme): forwarded
/// headers from the configured proxies only, HSTS, then the per-address rate limits of <see cref="RateLimitedPath"/>.
/// </summary>
internal sealed class EdgeStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseForwardedHeaders();
        app.UseHsts();
        app.UseRateLimiter();
        next(app);
    };
}

public static class EdgeExtensions
{
    public static IServiceCollection AddEdge(this IServiceCollection services)
    {
        services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => !options.Problems().Any(), "Http:KnownProxies holds an entry that is neither an IP address nor a CIDR network.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<EdgeOptions>>((forwarded, edge) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; only what is configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable CS0618, ASPDEPR005 // the obsolete list still holds loopback and is still consulted
            forwarded.KnownNetworks.Clear();
#pragma warning restore CS0618, ASPDEPR005
            // With no known proxy at all the middleware would trust every sender, so then nothing is forwarded.
            if (edge.Value.KnownProxies.Count == 0 || edge.Value.Problems().Any())
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            foreach (var network in edge.Value.Networks())
                forwarded.KnownIPNetworks.Add(network);
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<EdgeOptions>>((hsts, edge) => hsts.MaxAge = edge.Value.HstsMaxAge);
        services.AddPathRateLimits();
        services.AddTransient<IStartupFilter, EdgeStartupFilter>();
        return services;
    }
}
