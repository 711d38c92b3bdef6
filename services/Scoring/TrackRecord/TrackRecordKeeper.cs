using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// Keeps the latest track record in the store and refreshes it: every evaluation at every training; with every batch
/// the served scorer (once, on the first chunk scored), the drift state of the model's top features (once the whole
/// batch is scored) and the figures on deals closed since training (once the batch's closed deals' outcomes are in).
/// Returns what to publish. Each refresh reads, changes and writes the one record, so they take turns: none overwrites
/// what another just wrote.
/// </summary>
public sealed class TrackRecordKeeper(ScoreStore store, TrainingTrackRecord evaluations, TrackRecordCalculator calculator, RuleScorer rules, TimeProvider time)
{
    public const string LatestId = "latest";

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>
    /// The refreshed figures on the deals closed since training, judged on the scores they had while open, on a batch
    /// whose history brought <paramref name="closed"/> (the deals closed after the training window by its as-of); null
    /// while no training has set a window.
    /// </summary>
    public Task<TrackRecordUpdated?> AfterBatchOutcomesAsync(DailyBatchSynced batch, IReadOnlyCollection<ClosedOutcome> closed, CancellationToken cancellationToken) =>
        InTurnAsync<TrackRecordUpdated?>(async () =>
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
        }, cancellationToken);

    public Task<TrackRecordUpdated> AfterTrainingAsync(
        TrainingRun run, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples, ServedRiskModel? servedNow, CancellationToken cancellationToken) =>
        InTurnAsync(() => RefreshAfterTrainingAsync(run, featureNames, examples, servedNow, cancellationToken), cancellationToken);

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

    /// <summary>The refreshed track record (the batch's scorer) on a batch's first scored chunk; null for every later chunk or redelivery.</summary>
    public async Task<TrackRecordUpdated?> AfterBatchChunkAsync(DealScored scored, CancellationToken cancellationToken)
    {
        if (scored.Batch is not { } chunk)
            return null;
        if (!await store.TrackRecordBatches.InsertIfAbsentAsync(chunk.BatchId.ToString("N"), new TrainingClaim { At = time.GetUtcNow() }, cancellationToken))
            return null;
        return await RefreshAsync(scored.CorrelationId, record => record with
        {
            Trigger = "batch",
            BatchId = chunk.BatchId,
            AsOf = chunk.AsOf,
            ServedScorer = scored.Scorer,
            ServedModelVersion = scored.ModelVersion,
        }, cancellationToken);
    }

    /// <summary>
    /// The refreshed track record with the drift of the model's top features measured across a whole batch
    /// (<see cref="Modeling.BatchDrift"/>); null when there were too few deals to measure.
    /// </summary>
    public async Task<TrackRecordUpdated?> AfterBatchDriftAsync(DailyBatchSynced batch, IReadOnlyList<FeatureDriftState> measured, CancellationToken cancellationToken)
    {
        if (measured.Count == 0)
            return null;
        return await RefreshAsync(batch.CorrelationId, record => record with
        {
            Trigger = "batch",
            BatchId = batch.BatchId,
            AsOf = batch.AsOf,
            Drift = measured,
            DriftAsOf = batch.AsOf,
        }, cancellationToken);
    }

    /// <summary>The latest record, stamped and changed by <paramref name="change"/>, saved in turn.</summary>
    private Task<TrackRecordUpdated> RefreshAsync(Guid correlationId, Func<TrackRecordUpdated, TrackRecordUpdated> change, CancellationToken cancellationToken) =>
        InTurnAsync(async () =>
        {
            var updated = change(Stamp(await store.TrackRecords.GetAsync(LatestId, cancellationToken), correlationId, time.GetUtcNow()));
            await SaveAsync(updated, cancellationToken);
            return updated;
        }, cancellationToken);

    private async Task<T> InTurnAsync<T>(Func<Task<T>> refresh, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await refresh();
        }
        finally
        {
            _turn.Release();
        }
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
