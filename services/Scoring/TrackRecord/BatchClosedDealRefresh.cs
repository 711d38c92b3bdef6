using DealRisk.Contracts;
using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// Refreshes the figures on deals closed since training with every batch: each history chunk's outcomes (from the
/// feature service) keep the deals closed after the training window; once the batch's manifest and every history chunk
/// it announced are in, those deals are judged on their past scores, once per batch (<see cref="BatchParts{TPart}"/>).
/// </summary>
public sealed class BatchClosedDealRefresh(ScoreStore store, TrackRecordKeeper keeper, TimeProvider time)
{
    private readonly BatchParts<ClosedOutcomesPart> _parts =
        new(store.ClosedOutcomeBatches, store.ClosedOutcomeParts, store.ClosedOutcomeRefreshes, manifest => manifest.HistoryChunkCount, time);

    public async Task<TrackRecordUpdated?> OnOutcomesAsync(ClosedDealOutcomes message, CancellationToken cancellationToken)
    {
        if (await _parts.CompletedAsync(message.BatchId, cancellationToken))
            return null;
        var latest = await store.TrackRecords.GetAsync(TrackRecordKeeper.LatestId, cancellationToken);
        var outcomes = latest?.TrainedTo is { } trainedTo
            ? ClosedOutcome.ClosedAfter(message.ReadOutcomes(), ClosedOutcome.EndOf(trainedTo)).ToList()
            : [];
        await _parts.AddPartAsync(
            message.BatchId, message.ChunkIndex,
            new ClosedOutcomesPart { BatchId = message.BatchId, ChunkIndex = message.ChunkIndex, Outcomes = outcomes },
            cancellationToken);
        return await AdvanceAsync(message.BatchId, cancellationToken);
    }

    public async Task<TrackRecordUpdated?> OnBatchSyncedAsync(DailyBatchSynced synced, CancellationToken cancellationToken)
    {
        if (await _parts.CompletedAsync(synced.BatchId, cancellationToken))
            return null;
        await _parts.AddManifestAsync(synced, cancellationToken);
        return await AdvanceAsync(synced.BatchId, cancellationToken);
    }

    private async Task<TrackRecordUpdated?> AdvanceAsync(Guid batchId, CancellationToken cancellationToken)
    {
        TrackRecordUpdated? updated = null;
        await _parts.CompleteWhenAllInAsync(batchId, async (manifest, parts) =>
            updated = await keeper.AfterBatchOutcomesAsync(manifest, parts.SelectMany(part => part.Outcomes).ToList(), cancellationToken), cancellationToken);
        return updated;
    }
}
