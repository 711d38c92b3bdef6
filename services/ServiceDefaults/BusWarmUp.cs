using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

/// <summary>The message types a service publishes, declared up front so their topology exists before the first real message.</summary>
public sealed record PublishedMessageTypes(IReadOnlyList<Type> Types);

/// <summary>The consumers a service registered, built once in a scratch scope before it reports ready.</summary>
public sealed record ConsumerTypes(IReadOnlyList<Type> Types);

/// <summary>
/// Once the bus has started: waits for it to connect, asks for the publish endpoint of every message type the service
/// publishes (on RabbitMQ that declares the exchanges now rather than on the first real publish, which otherwise costs
/// the first messages hundreds of milliseconds), builds every consumer with its dependencies (stores opened, models
/// loaded), then marks the service warm, which readiness and the webhooks wait for.
/// </summary>
public sealed class BusWarmUp(
    IBusControl bus,
    IEnumerable<PublishedMessageTypes> published,
    IEnumerable<ConsumerTypes> consumers,
    IServiceScopeFactory scopes,
    WarmUpState state,
    IHostApplicationLifetime lifetime,
    ILogger<BusWarmUp> logger) : IHostedService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private static readonly System.Reflection.MethodInfo Declare =
        typeof(BusWarmUp).GetMethod(nameof(DeclareAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = WarmAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await bus.WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
                var types = published.SelectMany(p => p.Types).Distinct().ToList();
                foreach (var type in types)
                    await (Task)Declare.MakeGenericMethod(type).Invoke(null, [bus])!;
                var built = BuildConsumers();
                state.MarkWarm();
                logger.LogInformation("Warmed up in {Elapsed} ms: publish topology for {Messages} message types, {Consumers} consumers built",
                    clock.ElapsedMilliseconds, types.Count, built);
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Warm-up did not finish; not ready yet, trying again");
                await Task.Delay(RetryAfterFailure, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private int BuildConsumers()
    {
        using var scope = scopes.CreateScope();
        var types = consumers.SelectMany(c => c.Types).Distinct().ToList();
        foreach (var type in types)
            scope.ServiceProvider.GetRequiredService(type);
        return types.Count;
    }

    private static async Task DeclareAsync<T>(IBus bus) where T : class => await bus.GetPublishSendEndpoint<T>();
}

public static class BusWarmUpExtensions
{
    /// <summary>Declares, once the bus is up, the exchanges of the messages this service publishes.</summary>
    public static IServiceCollection WarmUpPublishing(this IServiceCollection services, params Type[] messageTypes)
    {
        services.AddSingleton(new PublishedMessageTypes(messageTypes));
        services.AddBusWarmUp();
        return services;
    }

    /// <summary>The warm-up, its state and its readiness check, once per host.</summary>
    internal static IServiceCollection AddBusWarmUp(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ImplementationType == typeof(BusWarmUp)))
            return services;
        services.AddSingleton<WarmUpState>();
        services.AddHostedService<BusWarmUp>();
        services.AddHealthChecks().AddCheck<WarmUpHealthCheck>(WarmUpHealthCheck.Name, tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }

    /// <summary>Remembers the consumers registered so far, to be built during the warm-up.</summary>
    internal static IServiceCollection WarmUpConsumers(this IServiceCollection services)
    {
        var consumers = services
            .Where(descriptor => descriptor.ServiceType.IsClass && !descriptor.ServiceType.IsAbstract && typeof(IConsumer).IsAssignableFrom(descriptor.ServiceType))
            .Select(descriptor => descriptor.ServiceType)
            .Distinct()
            .ToList();
        services.AddSingleton(new ConsumerTypes(consumers));
        return services.AddBusWarmUp();
    }
}
