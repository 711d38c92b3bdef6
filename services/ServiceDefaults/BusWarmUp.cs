using System.Diagnostics;
using System.Runtime;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DealRisk.ServiceDefaults;

/// <summary>The message types a service publishes, declared up front so their topology exists before the first real message.</summary>
public sealed record PublishedMessageTypes(IReadOnlyList<Type> Types);

/// <summary>The consumers a service registered, built once in a scratch scope before it reports ready.</summary>
public sealed record ConsumerTypes(IReadOnlyList<Type> Types);

/// <summary>
/// Once the bus has started: waits for it to connect, asks for the publish endpoint of every message type the service
/// publishes (on RabbitMQ that declares the exchanges now rather than on the first real publish, which otherwise costs
/// the first messages hundreds of milliseconds), builds every consumer with its dependencies (stores opened, models
/// loaded), on RabbitMQ rehearses its real-time work on a scratch copy of itself (<see cref="ScratchRehearsal"/>) and runs
/// the warm-up traffic, then marks the service warm, which readiness and the webhooks wait for.
/// </summary>
public sealed class BusWarmUp(
    IBusControl bus,
    IEnumerable<PublishedMessageTypes> published,
    IEnumerable<ConsumerTypes> consumers,
    IEnumerable<IWarmUpTraffic> traffic,
    IEnumerable<ScratchRehearsal> rehearsals,
    Microsoft.Extensions.Configuration.IConfiguration configuration,
    IReceiveEndpointConnector endpoints,
    IServiceProvider services,
    IOptions<BusOptions> options,
    WarmUpState state,
    IHostApplicationLifetime lifetime,
    ILogger<BusWarmUp> logger) : IHostedService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TrafficLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan JitQuietLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);
    private const int Burst = 8;

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
                var rehearsed = await TryRehearseAsync(stopping);
                var sent = await TryRunTrafficAsync(stopping);
                var requested = await TrySendSelfRequestsAsync(stopping);
                CreateMetricInstruments();
                CollectStartupGarbage();
                state.MarkWarm();
                logger.LogInformation("Warmed up in {Elapsed} ms: publish topology for {Messages} message types, {Consumers} consumers built, {Rehearsed} steps rehearsed on a scratch copy, {Sent} warm-up messages handled, {Requested} requests to its own listener accepted",
                    clock.ElapsedMilliseconds, types.Count, built, rehearsed, sent, requested);
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Warm-up did not finish; not ready yet, trying again");
                await Task.Delay(RetryAfterFailure, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// The service's instruments, created now rather than by the first real message (the rehearsal records no metrics):
    /// creating one registers its streams with the metrics exporter, which took the first rescores a share of their time.
    /// </summary>
    private static void CreateMetricInstruments() =>
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(DealRiskMetrics).TypeHandle);

    /// <summary>
    /// One full, compacting collection before ready: everything start-up built (hosts, topology, consumers, models) is
    /// moved to the oldest generation now, instead of by the first collections of real traffic, which paused the first
    /// webhooks after ready for tens of milliseconds.
    /// </summary>
    private static void CollectStartupGarbage()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private int BuildConsumers()
    {
        using var scope = services.CreateScope();
        var types = consumers.SelectMany(c => c.Types).Distinct().ToList();
        foreach (var type in types)
            scope.ServiceProvider.GetRequiredService(type);
        return types.Count;
    }

    /// <summary>Like the traffic, the rehearsal only speeds up the first real messages: a service whose rehearsal failed is ready all the same.</summary>
    private async Task<int> TryRehearseAsync(CancellationToken stopping)
    {
        var messages = options.Value.WarmUpMessages;
        if (messages == 0 || options.Value.Transport != BusTransport.RabbitMq)
            return 0;
        var steps = 0;
        foreach (var rehearsal in rehearsals)
        {
            try
            {
                steps += await RehearseAsync(rehearsal, messages, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "The rehearsal of {Service} on a scratch copy failed or outlasted {Limit} s; its paths compile on the first real messages",
                    rehearsal.ServiceName, TrafficLimit.TotalSeconds);
            }
        }
        return steps;
    }

    /// <summary>Two rounds through the scratch copy (<see cref="InTwoRoundsAsync"/>).</summary>
    private async Task<int> RehearseAsync(ScratchRehearsal rehearsal, int messages, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TrafficLimit);
        await using var scratch = await ScratchService.StartAsync(rehearsal, configuration, timeout.Token);
        await InTwoRoundsAsync(round => scratch.RunAsync(rehearsal.Steps, round * messages, messages, timeout.Token), timeout.Token);
        if (scratch.Failures.FirstOrDefault() is { } failure)
            logger.LogWarning(failure, "{Failures} rehearsed steps of {Service} failed on its scratch copy; their paths stay cold", scratch.Failures.Count, rehearsal.ServiceName);
        logger.LogInformation("Rehearsed {Service} on a scratch copy: {Steps} steps, {Received} messages consumed there{Outbound}",
            rehearsal.ServiceName, 2 * messages * rehearsal.Steps.Count, scratch.Received, scratch.Outbound is { } outbound ? "; " + outbound : "");
        return 2 * messages * rehearsal.Steps.Count;
    }

    /// <summary>The traffic only speeds up the first real messages: a service whose traffic failed is ready all the same.</summary>
    private async Task<int> TryRunTrafficAsync(CancellationToken stopping)
    {
        try
        {
            return await RunTrafficAsync(stopping);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning(e, "The warm-up traffic failed or outlasted {Limit} s; ready without it, the first real messages compile their path", TrafficLimit.TotalSeconds);
            return 0;
        }
    }

    /// <summary>Two rounds of warm-up traffic through a scratch endpoint (<see cref="InTwoRoundsAsync"/>).</summary>
    private async Task<int> RunTrafficAsync(CancellationToken stopping)
    {
        var routes = traffic.ToList();
        var messages = options.Value.WarmUpMessages;
        if (routes.Count == 0 || messages == 0 || options.Value.Transport != BusTransport.RabbitMq)
            return 0;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TrafficLimit);
        using var tally = new WarmUpTally();
        var handle = endpoints.ConnectReceiveEndpoint($"warm-up-{Environment.MachineName}-{NewId.NextGuid():N}".ToLowerInvariant(), (context, endpoint) =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.UseInMemoryOutbox(context);
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            foreach (var route in routes)
                route.ConnectTo(endpoint, services, tally);
        });
        try
        {
            var ready = await handle.Ready.WaitAsync(timeout.Token);
            var scratch = await bus.GetSendEndpoint(ready.InputAddress);
            await InTwoRoundsAsync(async _ =>
            {
                for (var first = 0; first < messages; first += Burst)
                {
                    var burst = Enumerable.Range(first, Math.Min(Burst, messages - first)).ToList();
                    await Task.WhenAll(routes.SelectMany(route => burst.Select(index => route.SendAsync(scratch, index, timeout.Token))));
                    await tally.WaitForAsync(burst.Count * routes.Count * WarmUpTally.HandledPerMessage, timeout.Token);
                }
            }, timeout.Token);
            if (tally.Failures.FirstOrDefault() is { } failure)
                logger.LogWarning(failure, "{Failures} warm-up messages failed on the service's own hot path; their paths stay cold", tally.Failures.Count);
            return 2 * messages * routes.Count;
        }
        finally
        {
            using var stop = new CancellationTokenSource(StopLimit);
            await handle.StopAsync(stop.Token);
        }
    }

    /// <summary>
    /// Two rounds of requests to the service's own listener (<see cref="SelfRequests"/>, <see cref="InTwoRoundsAsync"/>);
    /// like the traffic, they only speed up the first real callers.
    /// </summary>
    private async Task<int> TrySendSelfRequestsAsync(CancellationToken stopping)
    {
        var messages = options.Value.WarmUpMessages;
        if (messages == 0 || services.GetService<SelfRequests>() is not { } self)
            return 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TrafficLimit);
            var answers = SelfRequestAnswers.None;
            await InTwoRoundsAsync(async _ => answers = answers.Add(await self.SendAsync(messages, timeout.Token)), timeout.Token);
            if (answers.Refused > 0)
                logger.LogWarning("{Refused} of the requests to the service's own listener were refused, the first with {Refusal}; the first real requests compile the rest of that path",
                    answers.Refused, answers.FirstRefusal);
            return answers.Accepted;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning(e, "The requests to the service's own listener failed or outlasted {Limit} s; ready without them, the first real requests compile their path", TrafficLimit.TotalSeconds);
            return 0;
        }
    }

    /// <summary>
    /// Runs a warm-up step twice, each time followed by a wait for the compiler to go quiet: the first round compiles the
    /// path, the second makes its methods hot enough to be recompiled optimized (the runtime starts counting calls only
    /// once no new method has been compiled for a moment).
    /// </summary>
    private static async Task InTwoRoundsAsync(Func<int, Task> round, CancellationToken cancellationToken)
    {
        for (var index = 0; index < 2; index++)
        {
            await round(index);
            await JitActivity.WaitForQuietAsync(JitQuietLimit, cancellationToken);
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
        services.AddBusWarmUp();
        return services;
    }

    /// <summary>Real-time messages sent through the bus to a scratch endpoint before the service reports ready.</summary>
    public static IServiceCollection WarmUpTraffic(this IServiceCollection services, params IWarmUpTraffic[] traffic)
    {
        foreach (var route in traffic)
            services.AddSingleton(route);
        return services.AddBusWarmUp();
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

    /// <summary>Real-time work rehearsed on a scratch copy of the service (in-memory bus, scratch store) before it reports ready.</summary>
    public static IServiceCollection RehearseOnScratch(this IServiceCollection services, ScratchRehearsal rehearsal)
    {
        services.AddSingleton(rehearsal);
        return services.AddBusWarmUp();
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
