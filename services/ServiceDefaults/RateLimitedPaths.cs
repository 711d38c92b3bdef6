using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Requests to <see cref="Prefix"/> (with <see cref="Method"/>) that one client address may make per minute; each
/// service declares its own (webhooks, sign-in), and one host running several services limits all of them.
/// </summary>
public sealed record RateLimitedPath(string Name, string Method, PathString Prefix, Func<IServiceProvider, int> PermitsPerMinute)
{
    public bool Matches(HttpRequest request) =>
        HttpMethods.Equals(request.Method, Method) && request.Path.StartsWithSegments(Prefix);
}

public static class RateLimitedPathExtensions
{
    public static IServiceCollection AddRateLimitedPath(this IServiceCollection services, RateLimitedPath path) =>
        services.AddSingleton(path);

    /// <summary>
    /// ASP.NET Core's rate limiter as a global, path-partitioned limiter (it runs before routing, first in the
    /// pipeline after forwarded headers): a fixed window per (path, client address), 429 beyond it.
    /// </summary>
    internal static IServiceCollection AddPathRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((limiter, provider) =>
        {
            var paths = provider.GetServices<RateLimitedPath>().ToList();
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = paths.FirstOrDefault(candidate => candidate.Matches(context.Request));
                if (path is null)
                    return RateLimitPartition.GetNoLimiter("");
                var permits = path.PermitsPerMinute(context.RequestServices);
                return RateLimitPartition.GetFixedWindowLimiter($"{path.Name}|{context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }
}
