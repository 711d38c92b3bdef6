using DealRisk.Notification.Storage;
using DealRisk.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.Notification.Tests;

/// <summary>
/// The notification service's own registrations on MassTransit's test harness, with its SQLite store and report
/// output in a temporary directory. Messages are delivered one at a time: each send waits until it was consumed.
/// </summary>
internal sealed class NotificationHarness : IAsyncDisposable
{
    private static readonly CancellationToken AlreadyObserved = new(canceled: true);

    private readonly TempDirectory _directory;
    private readonly IHost _host;
    private bool _keepData;
    private readonly HarnessDeliveries _deliveries;

    private NotificationHarness(TempDirectory directory, IHost host)
    {
        _directory = directory;
        _host = host;
        Harness = host.Services.GetTestHarness();
        _deliveries = new HarnessDeliveries(Harness);
    }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _host.Services;

    public string OutputDirectory => Path.Combine(_directory.Path, "results");

    public NotificationStore Store => Services.GetRequiredService<NotificationStore>();

    public static Task<NotificationHarness> StartAsync(string? webhookUrl = null) =>
        StartAsync(new Dictionary<string, string?> { ["Slack:WebhookUrl"] = webhookUrl });

    /// <summary>Starts the service with these settings; pass <paramref name="directory"/> to start again on the data a previous run left.</summary>
    public static async Task<NotificationHarness> StartAsync(IReadOnlyDictionary<string, string?> settings, TempDirectory? directory = null, Action<HostApplicationBuilder>? configure = null)
    {
        directory ??= new TempDirectory();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = Path.Combine(directory.Path, "data"),
            ["Reports:OutputDirectory"] = Path.Combine(directory.Path, "results"),
            // Real time is mostly past 07:00 in Los Angeles with no report: only the tests of the watch run it.
            ["Sla:WatchDeadline"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder);
        builder.AddNotificationService();
        // The harness's lists stop waiting for good once the bus has been idle for the inactivity timeout; a test
        // that pauses between deliveries on a busy machine must not count as idle.
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            bus.AddNotificationConsumers();
            bus.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(30));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new NotificationHarness(directory, host);
    }

    /// <summary>Publishes the message and returns once a consumer has finished with it.</summary>
    public Task DeliverAsync<T>(T message) where T : class => _deliveries.DeliverAsync(message);

    public List<T> Published<T>() where T : class =>
        Harness.Published.Select<T>(AlreadyObserved).Select(message => message.Context.Message).ToList();

    public void AssertNoFaults()
    {
        Assert.Empty(Published<Fault<Contracts.DealScored>>());
        Assert.Empty(Published<Fault<Contracts.DealChunkScored>>());
        Assert.Empty(Published<Fault<Contracts.DailyBatchSynced>>());
        Assert.Empty(Harness.Consumed.Select(received => received.Exception is not null, AlreadyObserved));
    }

    /// <summary>Stops the service but keeps its data, for a test that starts it again.</summary>
    public async Task<TempDirectory> StopKeepingDataAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _keepData = true;
        return _directory;
    }

    public async ValueTask DisposeAsync()
    {
        if (_keepData)
            return;
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }
}
