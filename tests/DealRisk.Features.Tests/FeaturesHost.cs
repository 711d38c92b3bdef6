using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using DealRisk.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.Features.Tests;

/// <summary>The feature service's own registrations on MassTransit's test harness, storing in a temporary directory.</summary>
internal sealed class FeaturesHost : IAsyncDisposable
{
    private readonly HarnessDeliveries _deliveries;

    private readonly IHost _host;
    private readonly string _directory;

    private FeaturesHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        _deliveries = new HarnessDeliveries(host.Services.GetRequiredService<ITestHarness>());
    }

    public ITestHarness Harness => _deliveries.Harness;

    /// <summary>Makes publishing FeaturesComputed fail, as a crash right after the features were stored would.</summary>
    public PublishFaults Faults { get; private init; } = null!;

    public FeatureStore Store => _host.Services.GetRequiredService<FeatureStore>();

    public DealCopyStore Copies => _host.Services.GetRequiredService<DealCopyStore>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The deal copies DealSynced would have delivered before a batch references them.</summary>
    public Task SeedCopiesAsync(IReadOnlyCollection<DealSnapshot> deals) =>
        _host.Services.GetRequiredService<DealCopies>().SaveManyAsync(deals, CancellationToken.None);

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "dealrisk-features-tests", Guid.NewGuid().ToString("N"));

    /// <param name="directory">Where the store lives; a new temporary directory unless given (a store written before, for upgrades).</param>
    public static async Task<FeaturesHost> StartAsync(TimeSpan? resyncAfter = null, TimeSpan? syncWait = null, string? directory = null)
    {
        directory ??= NewDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = directory,
            ["Features:ResyncAfter"] = (resyncAfter ?? TimeSpan.FromMilliseconds(200)).ToString(),
            ["Features:SyncWait"] = (syncWait ?? TimeSpan.FromSeconds(20)).ToString(),
        });
        builder.AddFeaturesService();
        var faults = new PublishFaults();
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            bus.AddFeaturesConsumers();
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.ConfigurePublish(publish => publish.UseExecute(faults.ThrowIfArmed));
                cfg.ConfigureEndpoints(context);
            });
        });

        var host = builder.Build();
        var features = new FeaturesHost(host, directory) { Faults = faults };
        await features.Harness.Start();
        return features;
    }

    /// <summary>Publishes a message and returns once its receive pipeline (consumer and outbox) is done with it.</summary>
    public Task DeliverAsync<T>(T message) where T : class => _deliveries.DeliverAsync(message);

    /// <summary>What has been published so far, without waiting for more: single deals, and batch chunks read back from their binary payload.</summary>
    public IReadOnlyList<FeaturesComputed> FeaturesPublished(Func<FeaturesComputed, bool> filter) =>
        [.. _deliveries.Published<FeaturesComputed>().Concat(_deliveries.Published<FeatureChunkComputed>().Select(chunk => chunk.ReadFeatures())).Where(filter)];

    public IReadOnlyList<T> Published<T>() where T : class => _deliveries.Published<T>();

    public void AssertNoFaults() => _deliveries.AssertNoFaults();

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
}

internal sealed class PublishFaults
{
    private volatile bool _armed;

    public void FailFeaturesComputed() => _armed = true;

    public void Heal() => _armed = false;

    public void ThrowIfArmed(PublishContext context)
    {
        if (_armed && context is PublishContext<FeaturesComputed>)
            throw new IOException("Injected fault: the process died before FeaturesComputed was published.");
    }
}
