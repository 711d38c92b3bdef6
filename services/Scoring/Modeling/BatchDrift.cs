using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Scoring.Storage;
using DealRisk.Scoring.TrackRecord;
using DealRisk.ServiceDefaults;
using MassTransit;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Judges input drift on a whole batch, never on one chunk. A chunk is a slice of the book in key order (one CRM's
/// deals, its oldest first), no sample of it, while the model's drift reference is the whole open book it was trained
/// to serve: judged alone, the first chunk of a perfectly ordinary book could hand every batch to the rules. So each
/// scored chunk leaves its deals tallied in the pinned model's bins; once the batch's manifest and every open chunk it
/// announced are in, the sums are measured once. The drift state goes into the track record, and a shift hands the
/// next batches and real-time rescoring to the rules and requests a retrain. The batch keeps the model it was pinned
/// to, so no batch mixes scorers. Two steps racing to judge a batch measure the same sums; only one hands over
/// (<see cref="ServedModels.ServeRulesInsteadOfAsync"/>).
/// </summary>
public sealed class BatchDrift(ScoreStore store, DriftMonitor drift, ServedModels served, TrackRecordKeeper trackRecord, TimeProvider time)
{
    private readonly BatchParts<BatchDriftPart> _parts =
        new(store.DriftBatches, store.DriftParts, store.DriftJudgements, manifest => manifest.OpenChunkCount, time);

    public async Task AfterChunkAsync(ConsumeContext context, BatchChunk chunk, ModelRecord? pinned, FeaturesComputed computed)
    {
        if (await _parts.CompletedAsync(chunk.BatchId, context.CancellationToken))
            return;
        var part = new BatchDriftPart
        {
            BatchId = chunk.BatchId,
            ChunkIndex = chunk.ChunkIndex,
            ModelVersion = pinned?.ModelVersion,
            Tallies = pinned is null ? [] : drift.Tally(pinned, computed),
        };
        await _parts.AddPartAsync(chunk.BatchId, chunk.ChunkIndex, part, context.CancellationToken);
        await AdvanceAsync(context, chunk.BatchId);
    }

    public async Task OnBatchSyncedAsync(ConsumeContext context, DailyBatchSynced synced)
    {
        if (await _parts.CompletedAsync(synced.BatchId, context.CancellationToken))
            return;
        await _parts.AddManifestAsync(synced, context.CancellationToken);
        await AdvanceAsync(context, synced.BatchId);
    }

    private Task AdvanceAsync(ConsumeContext context, Guid batchId) =>
        _parts.CompleteWhenAllInAsync(batchId, async (manifest, parts) =>
        {
            if (parts.Select(p => p.ModelVersion).FirstOrDefault(v => v is not null) is { } version)
                await JudgeAsync(context, manifest, version, FeatureTally.Sum(parts.SelectMany(p => p.Tallies)));
        }, context.CancellationToken);

    private async Task JudgeAsync(ConsumeContext context, DailyBatchSynced batch, string modelVersion, IReadOnlyList<FeatureTally> tallies)
    {
        var cancellationToken = context.CancellationToken;
        var model = await served.LoadAsync(modelVersion, cancellationToken);
        var measured = drift.Measure(model.Record, tallies);
        if (await trackRecord.AfterBatchDriftAsync(batch, measured, cancellationToken) is { } updated)
            await context.Publish(updated, cancellationToken);

        var shifted = DriftMonitor.Shifted(measured);
        if (shifted.Count == 0)
            return;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"input drift on {string.Join(", ", shifted.Select(s => $"{s.Feature} (PSI {s.Psi:0.00})"))} across the batch of {batch.AsOf:yyyy-MM-dd} ({batch.OpenDeals:N0} open deals) against model {modelVersion}'s training window: the batch was scored by that model; the next batches and real-time rescoring fall back to rules, and a retrain was requested");
        if (!await served.ServeRulesInsteadOfAsync(modelVersion, message, cancellationToken))
            return;
        var now = time.GetUtcNow();
        await RulesFallback.AnnounceAsync(context, modelVersion, message, "scoring-drift", shifted, now);
        // The replacement's drift reference is the book as of the batch that drifted, not as of the newest change in the
        // data: on a book that went quiet, that day lags behind, and a model referenced to it drifts again the next day.
        await context.SendCommandAsync(new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = message, RequestedAt = now, AsOf = batch.AsOf }, cancellationToken);
    }
}
