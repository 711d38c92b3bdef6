using System.Collections.Concurrent;
using DealRisk.Contracts;
using DealRisk.Scoring.Storage;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.Scoring.Tests;

/// <summary>The scoring service's own registrations on MassTransit's test harness, storing in a temporary directory.</summary>
internal sealed class ScoringHost : IAsyncDisposable
{
    private const string DeliveryHeader = "X-Test-Delivery";
    private static readonly CancellationToken Now = new(canceled: true);

    private readonly IHost _host;
    private readonly string _directory;
    private readonly ReceiveSignals _received = new();

    private ScoringHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        Harness = host.Services.GetRequiredService<ITestHarness>();
        Harness.Bus.ConnectReceiveObserver(_received);
    }

    public ITestHarness Harness { get; }

    public ScoreStore Store => _host.Services.GetRequiredService<ScoreStore>();

    public IServiceProvider Services => _host.Services;

    public static async Task<ScoringHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dealrisk-scoring-tests", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = directory,
            ["Scoring:ModelDirectory"] = Path.Combine(directory, "models"),
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.AddScoringService();
        builder.Services.AddMassTransitTestHarness(bus => bus.AddScoringConsumers());

        var host = builder.Build();
        var scoring = new ScoringHost(host, directory);
        await scoring.Harness.Start();
        return scoring;
    }

    /// <summary>Publishes a message and returns once its receive pipeline (consumer and outbox) is done with it.</summary>
    public async Task DeliverAsync<T>(T message) where T : class
    {
        var delivery = Guid.NewGuid().ToString("N");
        var received = _received.WaitFor(delivery);
        await Harness.Bus.Publish(message, context => context.Headers.Set(DeliveryHeader, delivery));
        await received.WaitAsync(TimeSpan.FromMinutes(1));
    }

    public IReadOnlyList<T> PublishedSoFar<T>() where T : class =>
        Harness.Published.Select<T>(Now).Select(published => published.Context.Message).ToList();

    /// <summary>What has been published so far, without waiting for more.</summary>
    public IReadOnlyList<DealScored> ScoredSoFar(Func<DealScored, bool> filter) =>
        Harness.Published.Select<DealScored>(published => filter(published.Context.Message), Now)
            .Select(published => published.Context.Message)
            .ToList();

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
