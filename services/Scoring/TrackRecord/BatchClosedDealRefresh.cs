using DealRisk.Contracts;
using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// Refreshes the figures on deals closed since training with every batch: each history chunk's outcomes (from the
/// feature service) keep the deals closed after the training window; once the batch's manifest and every history chunk
/// it announced are in, those deals are judged on their past scores. A batch already refreshed is not judged again; two
/// steps racing to refresh it compute the same figures, so the claim is taken after the work and a failure part-way retries it.
/// </summary>
public sealed class BatchClosedDealRefresh(ScoreStore store, TrackRecordKeeper keeper, TimeProvider time)
{
    public async Task<TrackRecordUpdated?> OnOutcomesAsync(ClosedDealOutcomes message, CancellationToken cancellationToken)
    {
        if (await RefreshedAsync(message.BatchId, cancellationToken))
            return null;
        var latest = await store.TrackRecords.GetAsync(TrackRecordKeeper.LatestId, cancellationToken);
        var outcomes = latest?.TrainedTo is { } trainedTo
            ? ClosedOutcome.ClosedAfter(message.ReadOutcomes(), ClosedOutcome.EndOf(trainedTo)).ToList()
            : [];
        await store.ClosedOutcomeParts.InsertIfAbsentAsync(
            PartId(message.BatchId, message.ChunkIndex),
            new ClosedOutcomesPart { BatchId = message.BatchId, ChunkIndex = message.ChunkIndex, Outcomes = outcomes },
            cancellationToken);
        return await AdvanceAsync(message.BatchId, cancellationToken);
    }

    public async Task<TrackRecordUpdated?> OnBatchSyncedAsync(DailyBatchSynced synced, CancellationToken cancellationToken)
    {
        if (await RefreshedAsync(synced.BatchId, cancellationToken))
            return null;
        await store.ClosedOutcomeBatches.InsertIfAbsentAsync(synced.BatchId.ToString("N"), synced, cancellationToken);
        return await AdvanceAsync(synced.BatchId, cancellationToken);
    }

    private async Task<TrackRecordUpdated?> AdvanceAsync(Guid batchId, CancellationToken cancellationToken)
    {
        if (await store.ClosedOutcomeBatches.GetAsync(batchId.ToString("N"), cancellationToken) is not { } manifest)
            return null;
        if (await store.ClosedOutcomeParts.CountAsync("batchId", batchId, cancellationToken) < manifest.HistoryChunkCount)
            return null;

        var outcomes = new List<ClosedOutcome>();
        await foreach (var part in store.ClosedOutcomeParts.FindAsync("batchId", batchId, cancellationToken))
            outcomes.AddRange(part.Outcomes);
        var updated = await keeper.AfterBatchOutcomesAsync(manifest, outcomes, cancellationToken);
        await store.ClosedOutcomeRefreshes.InsertIfAbsentAsync(batchId.ToString("N"), new TrainingClaim { At = time.GetUtcNow() }, cancellationToken);
        await store.ClosedOutcomeParts.DeleteManyAsync("batchId", batchId, cancellationToken);
        await store.ClosedOutcomeBatches.DeleteAsync(batchId.ToString("N"), cancellationToken);
        return updated;
    }

    private async Task<bool> RefreshedAsync(Guid batchId, CancellationToken cancellationToken) =>
        await store.ClosedOutcomeRefreshes.GetAsync(batchId.ToString("N"), cancellationToken) is not null;

    private static string PartId(Guid batchId, int chunkIndex) => $"{batchId:N}:{chunkIndex}";
}
