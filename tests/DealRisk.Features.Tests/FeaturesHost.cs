using System.Collections.Concurrent;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.Features.Tests;

/// <summary>The feature service's own registrations on MassTransit's test harness, storing in a temporary directory.</summary>
internal sealed class FeaturesHost : IAsyncDisposable
{
    private const string DeliveryHeader = "X-Test-Delivery";
    private static readonly CancellationToken Now = new(canceled: true);

    private readonly ReceiveSignals _received = new();

    private readonly IHost _host;
    private readonly string _directory;

    private FeaturesHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        Harness = host.Services.GetRequiredService<ITestHarness>();
        Harness.Bus.ConnectReceiveObserver(_received);
    }

    public ITestHarness Harness { get; }

    public FeatureStore Store => _host.Services.GetRequiredService<FeatureStore>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The deal copies DealSynced would have delivered before a batch references them.</summary>
    public Task SeedCopiesAsync(IReadOnlyCollection<DealSnapshot> deals) =>
        _host.Services.GetRequiredService<DealCopies>().SaveManyAsync(deals, CancellationToken.None);

    public static async Task<FeaturesHost> StartAsync(TimeSpan? resyncAfter = null, TimeSpan? syncWait = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dealrisk-features-tests", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = directory,
            ["Features:ResyncAfter"] = (resyncAfter ?? TimeSpan.FromMilliseconds(200)).ToString(),
            ["Features:SyncWait"] = (syncWait ?? TimeSpan.FromSeconds(20)).ToString(),
        });
        builder.AddFeaturesService();
        builder.Services.AddMassTransitTestHarness(bus => bus.AddFeaturesConsumers());

        var host = builder.Build();
        var features = new FeaturesHost(host, directory);
        await features.Harness.Start();
        return features;
    }

    /// <summary>
    /// Publishes a message and returns once its receive pipeline is done with it: consumed, and whatever the
    /// consumer published (outbox included) already out.
    /// </summary>
    public async Task DeliverAsync<T>(T message) where T : class
    {
        var delivery = Guid.NewGuid().ToString("N");
        var received = _received.WaitFor(delivery);
        await Harness.Bus.Publish(message, context => context.Headers.Set(DeliveryHeader, delivery));
        await received.WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>What has been published so far, without waiting for more.</summary>
    public IReadOnlyList<FeaturesComputed> FeaturesPublished(Func<FeaturesComputed, bool> filter) =>
        Harness.Published.Select<FeaturesComputed>(published => filter(published.Context.Message), Now)
            .Select(published => published.Context.Message)
            .ToList();

    public IReadOnlyList<T> Published<T>() where T : class =>
        Harness.Published.Select<T>(Now).Select(published => published.Context.Message).ToList();

    public void AssertNoFaults()
    {
        Assert.Empty(Harness.Published.Select<Fault>(Now));
        Assert.Empty(Harness.Consumed.Select(consumed => consumed.Exception is not null, Now));
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        _host.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Completes a delivery when the receive pipeline has finished with the message that carries its header.</summary>
    private sealed class ReceiveSignals : IReceiveObserver
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _deliveries = new();

        public Task WaitFor(string delivery) => Source(delivery).Task;

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context) => Complete(context);

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
            Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Complete(context);

        private Task Complete(ReceiveContext context)
        {
            if (context.TransportHeaders.Get<string>(DeliveryHeader) is { } delivery)
                Source(delivery).TrySetResult();
            return Task.CompletedTask;
        }

        private TaskCompletionSource Source(string delivery) =>
            _deliveries.GetOrAdd(delivery, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
