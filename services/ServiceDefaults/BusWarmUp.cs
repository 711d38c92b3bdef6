using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

/// <summary>The message types a service publishes, declared up front so their topology exists before the first real message.</summary>
public sealed record PublishedMessageTypes(IReadOnlyList<Type> Types);

/// <summary>
/// Once the bus has started, asks for the publish endpoint of every message type the service publishes. On RabbitMQ
/// that declares the exchanges then rather than on the first real publish, which otherwise costs the first messages
/// after start-up hundreds of milliseconds.
/// </summary>
public sealed class BusWarmUp(
    IBusControl bus,
    IEnumerable<PublishedMessageTypes> published,
    IHostApplicationLifetime lifetime,
    ILogger<BusWarmUp> logger) : IHostedService
{
    private static readonly System.Reflection.MethodInfo Declare =
        typeof(BusWarmUp).GetMethod(nameof(DeclareAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = WarmAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmAsync()
    {
        var clock = Stopwatch.StartNew();
        var types = published.SelectMany(p => p.Types).Distinct().ToList();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
            foreach (var type in types)
                await (Task)Declare.MakeGenericMethod(type).Invoke(null, [bus])!;
            logger.LogInformation("Declared publish topology for {Count} message types in {Elapsed} ms", types.Count, clock.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Publish topology warm-up did not finish; the first messages will declare it");
        }
    }

    private static async Task DeclareAsync<T>(IBus bus) where T : class => await bus.GetPublishSendEndpoint<T>();
}

public static class BusWarmUpExtensions
{
    /// <summary>Declares, once the bus is up, the exchanges of the messages this service publishes.</summary>
    public static IServiceCollection WarmUpPublishing(this IServiceCollection services, params Type[] messageTypes)
    {
        services.AddSingleton(new PublishedMessageTypes(messageTypes));
        if (services.All(descriptor => descriptor.ImplementationType != typeof(BusWarmUp)))
            services.AddHostedService<BusWarmUp>();
        return services;
    }
}
