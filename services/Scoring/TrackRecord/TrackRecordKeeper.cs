using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// Keeps the latest track record in the store and refreshes it: every evaluation at every training; with every batch
/// the served scorer and the drift state of the model's top features (once, on the first chunk scored) and the figures
/// on deals closed since training (once the batch's closed deals' outcomes are in). Returns what to publish. Each
/// refresh reads, changes and writes the one record, so they take turns: none overwrites what another just wrote.
/// </summary>
public sealed class TrackRecordKeeper(ScoreStore store, TrainingTrackRecord evaluations, TrackRecordCalculator calculator, RuleScorer rules, DriftMonitor drift, TimeProvider time)
{
    public const string LatestId = "latest";

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>
    /// The refreshed figures on the deals closed since training, judged on the scores they had while open, on a batch
    /// whose history brought <paramref name="closed"/> (the deals closed after the training window by its as-of); null
    /// while no training has set a window.
    /// </summary>
    public async Task<TrackRecordUpdated?> AfterBatchOutcomesAsync(DailyBatchSynced batch, IReadOnlyCollection<ClosedOutcome> closed, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var previous = await store.TrackRecords.GetAsync(LatestId, cancellationToken);
            if (previous?.TrainedTo is null)
                return null;
            var modelVersion = previous.Evaluations
                .FirstOrDefault(e => e.Population == ScorerEvaluation.Populations.ClosedSinceTraining && e.Scorer == ModelScorer.ScorerName)?.ModelVersion
                ?? previous.ServedModelVersion;
            var closedSince = await evaluations.ClosedSinceAsync(closed, modelVersion, cancellationToken);
            var now = time.GetUtcNow();
            var updated = Stamp(previous, batch.CorrelationId, now) with
            {
                Trigger = "batch",
                BatchId = batch.BatchId,
                AsOf = batch.AsOf,
                EvaluatedAt = now,
                Evaluations = [.. previous.Evaluations.Where(e => e.Population != ScorerEvaluation.Populations.ClosedSinceTraining), .. closedSince],
            };
            await SaveAsync(updated, cancellationToken);
            return updated;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async Task<TrackRecordUpdated> AfterTrainingAsync(
        TrainingRun run, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples, ServedRiskModel? servedNow, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await RefreshAfterTrainingAsync(run, featureNames, examples, servedNow, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<TrackRecordUpdated> RefreshAfterTrainingAsync(
        TrainingRun run, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples, ServedRiskModel? servedNow, CancellationToken cancellationToken)
    {
        var previous = await store.TrackRecords.GetAsync(LatestId, cancellationToken);
        var servedRecord = run.Promoted ?? servedNow?.Record;
        var trainedTo = servedRecord?.TrainedTo ?? run.Result.TrainedTo ?? previous?.TrainedTo;

        var holdout = run.Holdout is { } replay
            ? evaluations.Holdout(replay, servedRecord?.ModelVersion, HoldoutScores(replay, featureNames, run.Promoted, servedNow), servedRecord?.LevelCutoffs)
            : previous?.Evaluations.Where(e => e.Population == ScorerEvaluation.Populations.Holdout).ToList() ?? [];
        var closed = trainedTo is { } day ? await evaluations.ClosedSinceAsync(day, servedRecord?.ModelVersion, examples, cancellationToken) : [];
        var now = time.GetUtcNow();
        var updated = Stamp(previous, run.Result.CorrelationId, now) with
        {
            Trigger = "training",
            BatchId = null,
            AsOf = null,
            ServedScorer = servedRecord is null ? RuleScorer.ScorerName : ModelScorer.ScorerName,
            ServedModelVersion = servedRecord?.ModelVersion,
            TrainedTo = trainedTo,
            EvaluatedAt = now,
            Evaluations = [.. holdout, .. closed],
        };
        await SaveAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>
    /// The refreshed track record on a batch's first scored chunk; null for every later chunk or redelivery.
    /// <paramref name="model"/> is the model the batch was pinned to, whose drift is measured even when the drift made the rules score it.
    /// </summary>
    public async Task<TrackRecordUpdated?> AfterBatchChunkAsync(DealScored scored, ModelRecord? model, FeaturesComputed computed, CancellationToken cancellationToken)
    {
        if (scored.Batch is not { } chunk)
            return null;
        if (!await store.TrackRecordBatches.InsertIfAbsentAsync(chunk.BatchId.ToString("N"), new TrainingClaim { At = time.GetUtcNow() }, cancellationToken))
            return null;
        var measured = model is null ? [] : drift.Measure(model, computed);
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await RefreshAfterBatchChunkAsync(scored, chunk, measured, computed.CorrelationId, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<TrackRecordUpdated> RefreshAfterBatchChunkAsync(
        DealScored scored, BatchChunk chunk, IReadOnlyList<FeatureDriftState> measured, Guid correlationId, CancellationToken cancellationToken)
    {
        var previous = await store.TrackRecords.GetAsync(LatestId, cancellationToken);
        var updated = Stamp(previous, correlationId, time.GetUtcNow()) with
        {
            Trigger = "batch",
            BatchId = chunk.BatchId,
            AsOf = chunk.AsOf,
            ServedScorer = scored.Scorer,
            ServedModelVersion = scored.ModelVersion,
            Drift = measured.Count > 0 ? measured : previous?.Drift ?? [],
            DriftAsOf = measured.Count > 0 ? chunk.AsOf : previous?.DriftAsOf,
        };
        await SaveAsync(updated, cancellationToken);
        return updated;
    }

    private static IReadOnlyList<int>? HoldoutScores(HoldoutReplay replay, IReadOnlyList<string> featureNames, ModelRecord? promoted, ServedRiskModel? servedNow)
    {
        if (promoted is not null)
            return replay.ModelScores.GetValueOrDefault(promoted.ModelVersion);
        if (servedNow is null)
            return null;
        var positions = ModelRows.Positions(servedNow.Record.FeatureNames, featureNames);
        var rows = replay.Examples.Select(e => ModelRows.Pick(e.Vector.Values, positions)).ToList();
        return TrainingJob.ServedRisk(servedNow.Model.Calibration, servedNow.Model.Scores(rows));
    }

    private TrackRecordUpdated Stamp(TrackRecordUpdated? previous, Guid correlationId, DateTimeOffset now) =>
        (previous ?? new TrackRecordUpdated
        {
            CorrelationId = correlationId,
            Trigger = "",
            ComputedAt = now,
            ServedScorer = RuleScorer.ScorerName,
            HighThreshold = rules.Rules.Levels.High,
            CriticalThreshold = rules.Rules.Levels.Critical,
        }) with
        {
            MinimumSegmentDeals = calculator.MinimumSegmentDeals,
            CorrelationId = correlationId,
            ComputedAt = now,
            HighThreshold = rules.Rules.Levels.High,
            CriticalThreshold = rules.Rules.Levels.Critical,
        };

    private Task SaveAsync(TrackRecordUpdated updated, CancellationToken cancellationToken) =>
        store.TrackRecords.UpsertIfNewerAsync(LatestId, updated.ComputedAt.UtcTicks, updated, cancellationToken);
}
