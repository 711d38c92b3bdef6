using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.TrackRecord;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class TrackRecordTests() : ScoringHostTest(SmallTrainingGate)
{
    private static readonly DateTimeOffset BatchAsOf = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void On_the_holdout_the_track_record_agrees_with_the_gates_metrics_and_the_backtest()
    {
        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(1200));
        var promoted = run.Promoted!;
        var rules = new RuleScorer(RuleSet.Default());

        var evaluations = new TrainingTrackRecord(rules, new NoPastScores(), new TrackRecordCalculator(50))
            .Holdout(run.Holdout!, promoted.ModelVersion, run.Holdout!.ModelScores[promoted.ModelVersion], promoted.LevelCutoffs);

        var (model, byRules) = (evaluations.Single(e => e.Scorer == "model"), evaluations.Single(e => e.Scorer == "rules"));
        Assert.Equal(promoted.ModelVersion, model.ModelVersion);
        Assert.Equal(promoted.Metrics.RocAuc, model.Figures.RocAuc!.Value, 12);
        Assert.Equal(promoted.Metrics.PrAuc, model.Figures.PrAuc!.Value, 12);
        Assert.Equal(promoted.RulesMetrics.RocAuc, byRules.Figures.RocAuc!.Value, 12);
        Assert.Equal(promoted.Metrics.HoldoutDeals, model.Figures.Deals);
        foreach (var (evaluation, backtest) in new[] { (model, run.Result.Backtests.Single(b => b.Scorer == promoted.ModelVersion)), (byRules, run.Result.Backtests.Single(b => b.Scorer == "rules")) })
        {
            Assert.Equal(backtest.FlagPrecision, Math.Round(evaluation.Figures.High.Precision ?? 0, 4));
            var days = TrackRecordCalculatorTests.Days(evaluation.Figures);
            Assert.Equal(backtest.LostDealsFlagged, days.Count);
            if (backtest.MedianDaysFlaggedBeforeClose is { } median)
                Assert.Equal(median, days[days.Count / 2]);
        }
    }

    [Fact]
    public async Task When_a_training_promotes_nothing_the_model_still_served_is_judged_on_the_new_holdout_beside_the_rules()
    {
        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(800, seed: 9));
        var served = TrainingData.Model;
        var loaded = new ServedRiskModel(served, RiskModel.Load(served.ModelBytes, new PlattCalibration(served.CalibrationA, served.CalibrationB), served.FeatureNames, served.Seed));
        var keeper = (TrackRecordKeeper)Host.Services.GetService(typeof(TrackRecordKeeper))!;

        var record = await keeper.AfterTrainingAsync(run with { Promoted = null }, Names, TrainingData.Examples(800, seed: 9), loaded, CancellationToken.None);

        Assert.Equal(("model", served.ModelVersion, served.TrainedTo), (record.ServedScorer, record.ServedModelVersion, record.TrainedTo));
        var model = record.Evaluations.Single(e => e is { Population: "holdout", Scorer: "model" });
        var byRules = record.Evaluations.Single(e => e is { Population: "holdout", Scorer: "rules" });
        Assert.Equal(served.ModelVersion, model.ModelVersion);
        Assert.Equal((200, 200), (model.Figures.Deals, byRules.Figures.Deals));
        Assert.True(model.Figures.RocAuc > byRules.Figures.RocAuc + 0.05, $"model {model.Figures.RocAuc} against rules {byRules.Figures.RocAuc}");
        Assert.Equal(run.Result.RulesMetrics!.RocAuc, byRules.Figures.RocAuc!.Value, 12);
        Assert.Equal(record, await Host.Store.TrackRecords.GetAsync(TrackRecordKeeper.LatestId), new SameComputedAt());
    }

    [Fact]
    public async Task Deals_closed_since_training_are_judged_on_the_scores_they_had_before_their_close_by_the_scorer_that_gave_them()
    {
        var trainedTo = new DateOnly(2025, 6, 1);
        DateTimeOffset Day(int month, int day) => new(2025, month, day, 0, 0, 0, TimeSpan.Zero);
        TrainingExample Closed(string id, bool lost, DateTimeOffset closedAt) =>
            new() { Vector = Vector(Deal(id: id) with { Industry = "Retail" }), At = closedAt.AddDays(-30), ClosedAt = closedAt, Lost = lost };
        var past = new FixedPastScores(
            new PastScore("test:X", Day(6, 1), 60, RiskLevels.High, "rules", null),
            new PastScore("test:X", Day(6, 10), 80, RiskLevels.Critical, "rules", null),
            new PastScore("test:X", Day(6, 21), 20, RiskLevels.Low, "rules", null),
            new PastScore("test:Y", Day(6, 5), 70, RiskLevels.High, "model", "v1"),
            new PastScore("test:Y", Day(6, 6), 90, RiskLevels.Critical, "model", "v0"));

        var evaluations = await new TrainingTrackRecord(new RuleScorer(RuleSet.Default()), past, new TrackRecordCalculator(50))
            .ClosedSinceAsync(trainedTo, "v1", [Closed("X", true, Day(6, 20)), Closed("Y", false, Day(6, 25)), Closed("Z", true, Day(5, 20))], CancellationToken.None);

        Assert.Equal(["test:X", "test:Y"], past.Asked.Order());
        var byRules = evaluations.Single(e => e.Scorer == "rules").Figures;
        Assert.Equal((1, 1, 2), (byRules.Deals, byRules.LostDeals, byRules.Scores));
        Assert.Equal([new LeadTime { Days = 19, LostDeals = 1 }], byRules.LeadTimes);
        Assert.Equal((1, 1), (byRules.Critical.Flagged, byRules.Critical.FlaggedLost));
        var model = evaluations.Single(e => e.Scorer == "model");
        Assert.Equal("v1", model.ModelVersion);
        Assert.Equal((1, 0, 1, 1, 0), (model.Figures.Deals, model.Figures.LostDeals, model.Figures.Scores, model.Figures.High.Flagged, model.Figures.Critical.Flagged));
        Assert.All(evaluations, e => Assert.Equal(ScorerEvaluation.Populations.ClosedSinceTraining, e.Population));
    }

    [Fact]
    public async Task Every_batch_and_every_training_publish_the_track_record_from_stored_batch_scores_outcomes_and_drift()
    {
        var examples = TrainingData.Examples(800);
        var holdoutDeals = examples.Skip(700).ToList();
        var rulesBatch = Batch(holdoutDeals.Select(e => e.Vector).ToArray(), chunkIndex: 0);
        await Host.DeliverAsync(rulesBatch);

        var first = Assert.Single(Host.PublishedSoFar<TrackRecordUpdated>());
        Assert.Equal(("batch", "rules", rulesBatch.Batch!.BatchId), (first.Trigger, first.ServedScorer, first.BatchId));
        Assert.Empty(first.Evaluations);

        await Host.DeliverAsync(new TrainingSetChunk { CorrelationId = Guid.NewGuid(), ChunkIndex = 0, ChunkCount = 1, FeatureNames = Names, Examples = examples });

        var trained = Host.PublishedSoFar<TrackRecordUpdated>().Single(t => t.Trigger == "training");
        var promoted = Assert.Single(Host.PublishedSoFar<ModelPromoted>());
        Assert.Equal(("model", promoted.ModelVersion, promoted.TrainedTo, 50), (trained.ServedScorer, trained.ServedModelVersion, trained.TrainedTo, trained.MinimumSegmentDeals));
        Assert.Equal(promoted.Metrics.RocAuc, trained.Evaluations.Single(e => e is { Population: "holdout", Scorer: "model" }).Figures.RocAuc!.Value, 12);
        Assert.Equal(promoted.RulesMetrics.RocAuc, trained.Evaluations.Single(e => e is { Population: "holdout", Scorer: "rules" }).Figures.RocAuc!.Value, 12);
        var closedByRules = trained.Evaluations.Single(e => e is { Population: "closed-since-training", Scorer: "rules" }).Figures;
        var scoredInBatch = Host.ScoredSoFar(s => s.CorrelationId == rulesBatch.CorrelationId).Single().Scores.ToDictionary(s => s.Deal.ExternalId);
        var expectedLeadTimes = holdoutDeals
            .Where(e => e.Lost && RiskLevels.Rank(scoredInBatch[e.Vector.Deal.ExternalId].Level) >= RiskLevels.Rank(RiskLevels.High))
            .Select(e => (int)Math.Floor((e.ClosedAt - BatchAsOf).TotalDays)).Order().ToList();
        Assert.Equal((100, holdoutDeals.Count(e => e.Lost)), (closedByRules.Deals, closedByRules.LostDeals));
        Assert.NotEmpty(expectedLeadTimes);
        Assert.Equal(expectedLeadTimes, TrackRecordCalculatorTests.Days(closedByRules));
        Assert.Equal(0, trained.Evaluations.Single(e => e is { Population: "closed-since-training", Scorer: "model" }).Figures.Deals);

        var random = new Random(5);
        var modelBatch = Batch(Enumerable.Range(0, 300).Select(i => Vector(Deal(DealStages.Proposal, $"N-{i}"),
            ("days_since_last_activity", 100 + random.Next(0, 50)), ("close_date_pushes", random.Next(0, 5)), ("contact_count", random.Next(1, 6)),
            ("deal_age_days", random.Next(5, 120)), ("amount", 20_000))).ToArray(), chunkIndex: 0);
        await Host.DeliverAsync(modelBatch);
        await Host.DeliverAsync(modelBatch with { CorrelationId = Guid.NewGuid(), Batch = modelBatch.Batch! with { ChunkIndex = 1 } });
        var asOf = DateOnly.FromDateTime(BatchAsOf.UtcDateTime);
        await Host.DeliverAsync(new DailyBatchSynced
        {
            BatchId = modelBatch.Batch!.BatchId, CorrelationId = Guid.NewGuid(), AsOf = asOf, Trigger = "test", HistoryChunkCount = 0, OpenChunkCount = 2,
            HistoryDeals = 0, OpenDeals = 600, SyncedAt = BatchAsOf,
        });

        var refreshed = Host.PublishedSoFar<TrackRecordUpdated>().Where(t => t.BatchId == modelBatch.Batch!.BatchId).ToList();
        // The first chunk names the scorer, the manifest refreshes the figures on deals closed since training, then the whole batch's drift.
        Assert.Equal(3, refreshed.Count);
        Assert.Equal(("model", promoted.ModelVersion), (refreshed[0].ServedScorer, refreshed[0].ServedModelVersion));
        Assert.Null(refreshed[1].DriftAsOf);
        var byBatch = refreshed[2];
        Assert.Equal(asOf, byBatch.DriftAsOf);
        Assert.Single(Host.PublishedSoFar<ScoringFellBackToRules>(), fallback => fallback.ModelVersion == promoted.ModelVersion);
        Assert.Contains(byBatch.Drift, d => d is { Feature: "days_since_last_activity", State: FeatureDriftState.States.Shifted });
        Assert.All(byBatch.Drift, d => Assert.Contains(promoted.FeatureImportances.Take(5), i => i.Feature == d.Feature));
        Assert.Equal(trained.Evaluations.Count, byBatch.Evaluations.Count);
        Assert.Equal(trained.EvaluatedAt!.Value, refreshed[0].EvaluatedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(refreshed[1].EvaluatedAt!.Value, byBatch.EvaluatedAt!.Value, TimeSpan.FromMilliseconds(1));
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task Every_batch_refreshes_the_figures_on_deals_closed_since_training_once_its_history_outcomes_and_manifest_are_in()
    {
        var trainedTo = DateOnly.FromDateTime(BatchAsOf.UtcDateTime).AddDays(-10);
        var holdout = new ScorerEvaluation
        {
            Scorer = "rules", Population = ScorerEvaluation.Populations.Holdout,
            Figures = new TrackRecordFigures { Deals = 7, LostDeals = 3, Scores = 7, High = new FlagPrecision { Flagged = 0, FlaggedLost = 0 }, Critical = new FlagPrecision { Flagged = 0, FlaggedLost = 0 } },
        };
        await Host.Store.TrackRecords.UpsertAsync(TrackRecordKeeper.LatestId, new TrackRecordUpdated
        {
            CorrelationId = Guid.NewGuid(), Trigger = "training", ComputedAt = BatchAsOf.AddDays(-9), ServedScorer = "rules",
            TrainedTo = trainedTo, HighThreshold = 55, CriticalThreshold = 75, Evaluations = [holdout],
        });
        var scoring = Batch([
            Vector(Deal(id: "LOST"), ("days_since_last_activity", 45), ("close_date_pushes", 4), ("stage_regressions", 1), ("single_threaded", 1)),
            Vector(Deal(id: "WON"), ("days_since_last_activity", 1)),
            Vector(Deal(id: "OLD"), ("days_since_last_activity", 45))], chunkIndex: 0);
        await Host.DeliverAsync(scoring);
        var scored = Host.ScoredSoFar(s => s.CorrelationId == scoring.CorrelationId).Single().Scores.ToDictionary(s => s.Deal.ExternalId);

        var batchId = Guid.NewGuid();
        var asOf = DateOnly.FromDateTime(BatchAsOf.UtcDateTime).AddDays(20);
        ClosedDealOutcomes Outcomes(int chunkIndex, params (string Id, bool Lost, DateTimeOffset ClosedAt)[] deals) => new()
        {
            BatchId = batchId, CorrelationId = Guid.NewGuid(), AsOf = asOf, ChunkIndex = chunkIndex,
            Payload = ChunkPayload.Write(new OutcomeColumns
            {
                Keys = [.. deals.Select(d => $"test:{d.Id}")],
                ClosedAtTicks = [.. deals.Select(d => d.ClosedAt.UtcTicks)],
                Lost = [.. deals.Select(d => d.Lost)],
                Industries = StringColumn.Of(deals.Select(_ => (string?)"Retail")),
                Regions = StringColumn.Of(deals.Select(_ => (string?)"EMEA")),
            }),
        };
        var manifest = new DailyBatchSynced
        {
            BatchId = batchId, CorrelationId = Guid.NewGuid(), AsOf = asOf, Trigger = "test", HistoryChunkCount = 2, OpenChunkCount = 0,
            HistoryDeals = 3, OpenDeals = 0, SyncedAt = BatchAsOf.AddDays(20),
        };
        var before = Host.PublishedSoFar<TrackRecordUpdated>().Count;

        await Host.DeliverAsync(Outcomes(0, ("LOST", true, BatchAsOf.AddDays(5)), ("OLD", true, BatchAsOf.AddDays(-20))));
        await Host.DeliverAsync(manifest);
        Assert.Equal(before, Host.PublishedSoFar<TrackRecordUpdated>().Count);

        await Host.DeliverAsync(Outcomes(1, ("WON", false, BatchAsOf.AddDays(8))));
        await Host.DeliverAsync(Outcomes(1, ("WON", false, BatchAsOf.AddDays(8))));
        await Host.DeliverAsync(manifest);

        var refreshed = Assert.Single(Host.PublishedSoFar<TrackRecordUpdated>().Skip(before));
        Assert.Equal(("batch", batchId, asOf, trainedTo), (refreshed.Trigger, refreshed.BatchId, refreshed.AsOf, refreshed.TrainedTo));
        var keptHoldout = refreshed.Evaluations.Single(e => e.Population == ScorerEvaluation.Populations.Holdout);
        Assert.Equal(("rules", 7, 3), (keptHoldout.Scorer, keptHoldout.Figures.Deals, keptHoldout.Figures.LostDeals));
        var byRules = refreshed.Evaluations.Single(e => e is { Population: "closed-since-training", Scorer: "rules" }).Figures;
        Assert.Equal((2, 1, 2), (byRules.Deals, byRules.LostDeals, byRules.Scores));
        var lostFlagged = RiskLevels.Rank(scored["LOST"].Level) >= RiskLevels.Rank(RiskLevels.High);
        Assert.True(lostFlagged, $"the silent, pushed deal was scored {scored["LOST"].Level}");
        Assert.Equal([new LeadTime { Days = 5, LostDeals = 1 }], byRules.LeadTimes);
        Assert.Equal(refreshed, await Host.Store.TrackRecords.GetAsync(TrackRecordKeeper.LatestId), new SameComputedAt());
        Assert.Equal(0, await Host.Store.ClosedOutcomeParts.CountAsync());
        Host.AssertNoFaults();
    }

    private sealed class SameComputedAt : IEqualityComparer<TrackRecordUpdated?>
    {
        public bool Equals(TrackRecordUpdated? x, TrackRecordUpdated? y) =>
            x is not null && y is not null && Math.Abs((x.ComputedAt - y.ComputedAt).TotalMilliseconds) < 1 && x.Evaluations.Count == y.Evaluations.Count;

        public int GetHashCode(TrackRecordUpdated? obj) => 0;
    }

    private static FeaturesComputed Batch(DealFeatureVector[] deals, int chunkIndex) => Computed(deals) with
    {
        AsOf = BatchAsOf,
        Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(BatchAsOf.UtcDateTime), ChunkIndex = chunkIndex },
    };

    private sealed class NoPastScores : IPastScores
    {
        public IAsyncEnumerable<PastScore> ForDealsAsync(IReadOnlySet<string> dealKeys, CancellationToken cancellationToken) => AsyncEnumerable.Empty<PastScore>();
    }

    private sealed class FixedPastScores(params PastScore[] scores) : IPastScores
    {
        public IReadOnlySet<string> Asked { get; private set; } = new HashSet<string>();

        public IAsyncEnumerable<PastScore> ForDealsAsync(IReadOnlySet<string> dealKeys, CancellationToken cancellationToken)
        {
            Asked = dealKeys;
            return scores.Where(s => dealKeys.Contains(s.DealKey)).ToAsyncEnumerable();
        }
    }
}
