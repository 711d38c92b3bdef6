using DealRisk.Contracts;
using DealRisk.Scoring.Storage;
using DealRisk.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.Scoring.Tests;

/// <summary>The scoring service's own registrations on MassTransit's test harness, storing in a temporary directory.</summary>
internal sealed class ScoringHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;
    private readonly HarnessDeliveries _deliveries;

    private ScoringHost(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        _deliveries = new HarnessDeliveries(host.Services.GetRequiredService<ITestHarness>());
    }

    public ITestHarness Harness => _deliveries.Harness;

    public ScoreStore Store => _host.Services.GetRequiredService<ScoreStore>();

    public IServiceProvider Services => _host.Services;

    public string DataDirectory => _directory;

    /// <param name="directory">A data directory another host uses too, for a second replica sharing its store.</param>
    public static async Task<ScoringHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "dealrisk-scoring-tests", Guid.NewGuid().ToString("N"));
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

    /// <summary>
    /// Publishes a message and returns once its receive pipeline (consumer and outbox) is done with it. Features of a
    /// batch chunk travel as the feature service sends them, as a <see cref="FeatureChunkComputed"/>.
    /// </summary>
    public Task DeliverAsync<T>(T message) where T : class =>
        message is FeaturesComputed { Batch: not null } chunk
            ? _deliveries.DeliverAsync(FeatureChunkComputed.Of(chunk))
            : _deliveries.DeliverAsync(message);

    public IReadOnlyList<T> PublishedSoFar<T>() where T : class => _deliveries.Published<T>();

    public IReadOnlyList<T> SentSoFar<T>() where T : class => _deliveries.Sent<T>();

    /// <summary>What has been published so far, without waiting for more.</summary>
    public IReadOnlyList<DealScored> ScoredSoFar(Func<DealScored, bool> filter) =>
        [.. _deliveries.Published<DealScored>().Concat(_deliveries.Published<DealChunkScored>().Select(chunk => chunk.ToDealScored())).Where(filter)];

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
