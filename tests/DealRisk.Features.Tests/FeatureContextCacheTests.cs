using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using DealRisk.Storage;

namespace DealRisk.Features.Tests;

public sealed class FeatureContextCacheTests : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"dealrisk-features-cache-{Guid.NewGuid():N}", "features.db");
    private SqliteDocumentStore _finalizingReplica = null!;
    private SqliteDocumentStore _otherReplica = null!;

    public Task InitializeAsync()
    {
        _finalizingReplica = new SqliteDocumentStore(_database);
        _otherReplica = new SqliteDocumentStore(_database);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Statistics_a_batch_finalized_on_another_replica_replace_the_cached_ones_at_once()
    {
        var finalizing = new FeatureStore(_finalizingReplica);
        var other = new FeatureContextCache(new FeatureStore(_otherReplica));
        await Finalize(finalizing, Batch(closedDeals: 100));
        Assert.Equal(100, (await other.GetAsync(CancellationToken.None)).Statistics.Total);

        await Finalize(finalizing, Batch(closedDeals: 250));

        Assert.Equal(250, (await other.GetAsync(CancellationToken.None)).Statistics.Total);
    }

    private static BatchStatistics Batch(int closedDeals) => new()
    {
        BatchId = Guid.NewGuid(),
        AsOf = new DateOnly(2026, 11, 30),
        Statistics = OutcomeStatistics.Empty with { Total = closedDeals },
    };

    /// <summary>What finalizing a batch does on the replica that completes its statistics.</summary>
    private static async Task Finalize(FeatureStore store, BatchStatistics statistics)
    {
        await store.Statistics.UpsertAsync(FeatureStore.LatestStatisticsId, statistics);
        await new FeatureContextCache(store).SetAsync(statistics, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _finalizingReplica.DisposeAsync();
        await _otherReplica.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true);
    }
}
