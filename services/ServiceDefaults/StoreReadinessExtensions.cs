using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

public static class StoreReadinessExtensions
{
    /// <summary>
    /// Sets up the service's store at start-up by resolving <paramref name="storeTypes"/> (the classes that declare its
    /// collections), before the bus starts, and adds a readiness check on it. Call it before <c>AddDealRiskBus</c>.
    /// </summary>
    public static IServiceCollection AddStoreSetUp(this IServiceCollection services, string serviceName, params Type[] storeTypes)
    {
        services.AddKeyedSingleton(serviceName, (provider, _) =>
            new StoreSetUp(serviceName, storeTypes, provider, provider.GetRequiredService<ILogger<StoreSetUp>>()));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<StoreSetUp>(serviceName));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{serviceName}-store",
            provider => new StoreHealthCheck(
                provider.GetRequiredKeyedService<StoreSetUp>(serviceName),
                () => provider.GetRequiredKeyedService<IDocumentStore>(serviceName)),
            HealthStatus.Unhealthy,
            [ServiceDefaultsExtensions.ReadyTag]));
        return services;
    }

    /// <summary>A hosted service that uses the store: registered after <see cref="AddStoreSetUp"/>, it is built once the store is ready.</summary>
    public static IServiceCollection AddHostedServiceAfterStoreSetUp<T>(this IServiceCollection services) where T : class, IHostedService
    {
        services.TryAddSingleton<T>();
        services.AddSingleton<IHostedService>(provider => new DeferredHostedService<T>(provider));
        return services;
    }
}
