using System.Collections.Concurrent;
using DealRisk.Contracts;
using DealRisk.Features.Storage;

namespace DealRisk.Features.Domain;

/// <summary>
/// The feature side of the daily batch. History chunks are tallied into statistics parts; once every part the
/// batch announced is in, they are merged into the batch's statistics. Open chunks are featurized against those
/// statistics as they arrive, or parked (as references) until the statistics are complete. Every step can be
/// repeated harmlessly.
/// </summary>
public sealed class BatchFeaturizer(
    FeatureStore store,
    DealCopies copies,
    FeatureContextCache latestContext,
    TimeProvider time,
    ILogger<BatchFeaturizer> logger)
{
    private readonly ConcurrentDictionary<Guid, FeatureContext> _finalized = new();

    public async Task OnHistoryChunkAsync(DealChunkSynced chunk, BatchOutlet outlet, CancellationToken cancellationToken)
    {
        var deals = await copies.LoadAsync(chunk, outlet.RequestResync, cancellationToken);
        await outlet.PublishOutcomes(ClosedDealOutcomes.Of(chunk, deals));
        var part = new BatchStatisticsPart
        {
            BatchId = chunk.BatchId,
            ChunkIndex = chunk.ChunkIndex,
            Statistics = OutcomeStatistics.FromClosedDeals(deals),
        };
        await store.StatisticsParts.InsertIfAbsentAsync(FeatureStore.ChunkId(chunk.BatchId, chunk.ChunkIndex), part, cancellationToken);
        await AdvanceAsync(chunk.BatchId, chunk.AsOf, outlet, cancellationToken);
    }

    public async Task OnOpenChunkAsync(DealChunkSynced chunk, BatchOutlet outlet, CancellationToken cancellationToken)
    {
        // Without its own count the chunk must not guess one: the first count recorded is the one the batch keeps.
        if (chunk.HistoryChunkCount is { } historyChunkCount)
            await RecordHistoryChunkCountAsync(chunk.BatchId, historyChunkCount, cancellationToken);
        if (await StatisticsAsync(chunk.BatchId, chunk.AsOf, cancellationToken) is { } context)
        {
            await FeaturizeOnceAsync(chunk, context, outlet, cancellationToken);
            return;
        }

        await store.PendingChunks.UpsertAsync(
            FeatureStore.ChunkId(chunk.BatchId, chunk.ChunkIndex),
            new PendingOpenChunk { BatchId = chunk.BatchId, Chunk = chunk },
            cancellationToken);
        await AdvanceAsync(chunk.BatchId, chunk.AsOf, outlet, cancellationToken);
    }

    public async Task OnBatchSyncedAsync(DailyBatchSynced synced, BatchOutlet outlet, CancellationToken cancellationToken)
    {
        await RecordHistoryChunkCountAsync(synced.BatchId, synced.HistoryChunkCount, cancellationToken);
        await AdvanceAsync(synced.BatchId, synced.AsOf, outlet, cancellationToken);
    }

    private async Task AdvanceAsync(Guid batchId, DateOnly asOf, BatchOutlet outlet, CancellationToken cancellationToken)
    {
        if (await StatisticsAsync(batchId, asOf, cancellationToken) is not { } context)
            return;

        var pending = new List<PendingOpenChunk>();
        await foreach (var chunk in store.PendingChunks.FindAsync("batchId", batchId, cancellationToken))
            pending.Add(chunk);
        foreach (var chunk in pending.OrderBy(p => p.Chunk.ChunkIndex))
        {
            await FeaturizeOnceAsync(chunk.Chunk, context, outlet, cancellationToken);
            await store.PendingChunks.DeleteAsync(FeatureStore.ChunkId(batchId, chunk.Chunk.ChunkIndex), cancellationToken);
        }
    }

    private Task RecordHistoryChunkCountAsync(Guid batchId, int historyChunkCount, CancellationToken cancellationToken) =>
        store.Progress.InsertIfAbsentAsync(
            batchId.ToString("N"),
            new BatchProgress { BatchId = batchId, HistoryChunkCount = historyChunkCount },
            cancellationToken);

    /// <summary>The batch's merged statistics, or null while history parts are still missing.</summary>
    private async Task<FeatureContext?> StatisticsAsync(Guid batchId, DateOnly asOf, CancellationToken cancellationToken)
    {
        if (_finalized.TryGetValue(batchId, out var cached))
            return cached;

        var stored = await store.Statistics.GetAsync(batchId.ToString("N"), cancellationToken);
        if (stored is null)
        {
            var progress = await store.Progress.GetAsync(batchId.ToString("N"), cancellationToken);
            if (progress is null)
                return null;
            var parts = await store.StatisticsParts.CountAsync("batchId", batchId, cancellationToken);
            if (parts < progress.HistoryChunkCount)
                return null;

            var all = new List<OutcomeStatistics>();
            await foreach (var part in store.StatisticsParts.FindAsync("batchId", batchId, cancellationToken))
                all.Add(part.Statistics);
            stored = new BatchStatistics { BatchId = batchId, AsOf = asOf, Statistics = OutcomeStatistics.Merge(all) };
            await store.Statistics.UpsertAsync(batchId.ToString("N"), stored, cancellationToken);
            if (await store.Statistics.UpsertIfNewerAsync(FeatureStore.LatestStatisticsId, asOf.DayNumber, stored, cancellationToken))
                await latestContext.SetAsync(stored, cancellationToken);
            logger.LogInformation("Batch {BatchId}: statistics from {ClosedDeals} closed deals ready", batchId, stored.Statistics.Total);
        }

        var context = new FeatureContext(stored.Statistics);
        if (_finalized.Count > 16) _finalized.Clear();
        _finalized[batchId] = context;
        return context;
    }

    private async Task FeaturizeOnceAsync(DealChunkSynced chunk, FeatureContext context, BatchOutlet outlet, CancellationToken cancellationToken)
    {
        var chunkId = FeatureStore.ChunkId(chunk.BatchId, chunk.ChunkIndex);
        if (await store.Done.GetAsync(chunkId, cancellationToken) is not null)
            return;

        await outlet.Publish(await ChunkFeaturizer.ComputeAsync(copies, chunk, context, outlet.RequestResync, cancellationToken));
        await store.Done.InsertIfAbsentAsync(chunkId, new Marker { At = time.GetUtcNow() }, cancellationToken);
    }
}

/// <summary>Where the batch featurizer sends what it produces: features and closed deals' outcomes downstream, resync requests upstream.</summary>
public sealed record BatchOutlet(Func<FeatureChunkComputed, Task> Publish, Func<ResyncDeals, Task> RequestResync, Func<ClosedDealOutcomes, Task> PublishOutcomes);
