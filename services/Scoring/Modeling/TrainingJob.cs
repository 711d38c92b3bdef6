using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Modeling;

/// <summary>Everything one training run produced: the models (kept whether served or not) and the decision.</summary>
public sealed record TrainingRun(ModelTrained Result, IReadOnlyList<ModelRecord> Models, ModelRecord? Promoted);

/// <summary>
/// One training run: time-ordered split by close date (older deals train, the newest <c>holdoutShare</c> test), the
/// minimum-history check, both trainers, the rules on the same holdout, and the gate.
/// </summary>
public sealed class TrainingJob(RuleScorer rules, ModelGate gate, int seed, double holdoutShare, TimeProvider time)
{
    public const double RequiredPresence = 0.95;

    public TrainingRun Run(Guid correlationId, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples)
    {
        var (training, holdout) = SplitByCloseDate(examples);
        var won = DistinctDeals(training, lost: false);
        var lost = DistinctDeals(training, lost: true);
        var now = time.GetUtcNow();
        if (gate.RefuseTrainingSet(won, lost) is { } refusal)
            return new TrainingRun(Result(correlationId, refusal, refused: true, won, lost, training, null, [], now), [], null);

        var alertProbability = rules.Rules.Levels.High / 100.0;
        var holdoutWon = DistinctDeals(holdout, lost: false);
        var holdoutLostDeals = DistinctDeals(holdout, lost: true);
        var holdoutLost = holdout.Select(e => e.Lost).ToList();
        var index = RuleScorer.FeatureIndex(featureNames);
        var rulesMetrics = HoldoutMetrics.Compute(holdout.Select(e => rules.Score(e.Vector, index).Score / 100.0).ToList(), holdoutLost, alertProbability);

        var trainRows = training.Select(e => Row(e)).ToList();
        var trainLost = training.Select(e => e.Lost).ToList();
        var holdoutRows = holdout.Select(e => Row(e)).ToList();
        var trainer = new ModelTrainer(seed);
        var records = new List<ModelRecord>();
        var candidates = new List<ModelCandidate>();
        foreach (var name in ModelTrainer.Trainers)
        {
            var model = trainer.Train(name, trainRows, trainLost, featureNames);
            var metrics = HoldoutMetrics.Compute(model.PredictMany(holdoutRows).Select(p => p.LossProbability).ToList(), holdoutLost, alertProbability);
            var importances = PermutationImportance.Compute(model, holdoutRows, holdoutLost, seed);
            var version = $"{name.ToLowerInvariant()}-{now:yyyyMMdd-HHmmss}-{correlationId.ToString("N")[..6]}";
            records.Add(new ModelRecord
            {
                ModelVersion = version,
                Trainer = name,
                ModelBytes = model.Save(),
                CalibrationA = model.Calibration.A,
                CalibrationB = model.Calibration.B,
                Seed = seed,
                FeatureNames = featureNames,
                RequiredFeatures = RequiredFeatures(featureNames, training),
                Metrics = metrics,
                RulesMetrics = rulesMetrics,
                TrainedFrom = DateOnly.FromDateTime(training.Min(e => e.At).UtcDateTime),
                TrainedTo = DateOnly.FromDateTime(training.Max(e => e.ClosedAt).UtcDateTime),
                WonDeals = won,
                LostDeals = lost,
                TrainingExamples = training.Count,
                FeatureImportances = importances,
                DriftReference = featureNames.Select((feature, i) => FeatureBins.FromValues(feature, training.Select(e => e.Vector.Values[i]).ToList())).ToList(),
                TrainedAt = now,
            });
            candidates.Add(new ModelCandidate
            {
                ModelVersion = version,
                Trainer = name,
                Metrics = metrics,
                PassedGate = gate.Passes(metrics, rulesMetrics, holdoutWon, holdoutLostDeals),
                FeatureImportances = importances,
            });
        }

        var best = candidates.Where(c => c.PassedGate).OrderByDescending(c => c.Metrics.RocAuc).FirstOrDefault();
        var decision = best is null
            ? $"Rules stay: no model beat the rules' holdout ROC-AUC {rulesMetrics.RocAuc:0.000} by the required margin (best {candidates.Max(c => c.Metrics.RocAuc):0.000}, needed +{gate.RequiredGain(candidates.Max(c => c.Metrics.RocAuc), holdoutWon, holdoutLostDeals):0.000})."
            : $"Serving {best.ModelVersion}: holdout ROC-AUC {best.Metrics.RocAuc:0.000} against the rules' {rulesMetrics.RocAuc:0.000}.";
        var promoted = best is null ? null : records.Single(r => r.ModelVersion == best.ModelVersion);
        return new TrainingRun(Result(correlationId, decision, refused: false, won, lost, training, rulesMetrics, candidates, now) with
        {
            Served = best is null ? RuleScorer.ScorerName : ModelScorer.ScorerName,
            ServedModelVersion = best?.ModelVersion,
        }, records, promoted);
    }

    private (List<TrainingExample> Training, List<TrainingExample> Holdout) SplitByCloseDate(IReadOnlyList<TrainingExample> examples)
    {
        var deals = examples.GroupBy(e => DealKey(e))
            .Select(g => (Key: g.Key, ClosedAt: g.First().ClosedAt))
            .OrderBy(d => d.ClosedAt).ThenBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        var trainingDeals = deals.Take((int)Math.Round(deals.Count * (1 - holdoutShare))).Select(d => d.Key).ToHashSet();
        var ordered = examples.OrderBy(e => e.ClosedAt).ThenBy(e => DealKey(e), StringComparer.Ordinal).ThenBy(e => e.At).ToList();
        return (ordered.Where(e => trainingDeals.Contains(DealKey(e))).ToList(), ordered.Where(e => !trainingDeals.Contains(DealKey(e))).ToList());
    }

    private static string DealKey(TrainingExample example) => $"{example.Vector.Deal.Source}:{example.Vector.Deal.ExternalId}";

    private static int DistinctDeals(IEnumerable<TrainingExample> examples, bool lost) =>
        examples.Where(e => e.Lost == lost).Select(DealKey).Distinct().Count();

    private static float[] Row(TrainingExample example) => ModelRows.FromValues(example.Vector.Values);

    private static IReadOnlyList<string> RequiredFeatures(IReadOnlyList<string> names, IReadOnlyList<TrainingExample> training) =>
        names.Where((_, i) => training.Count(e => e.Vector.Values[i] is not null) >= RequiredPresence * training.Count).ToList();

    private static ModelTrained Result(Guid correlationId, string decision, bool refused, int won, int lost, IReadOnlyList<TrainingExample> training,
        ModelMetrics? rulesMetrics, IReadOnlyList<ModelCandidate> candidates, DateTimeOffset now) => new()
    {
        CorrelationId = correlationId,
        Served = RuleScorer.ScorerName,
        Decision = decision,
        Refused = refused,
        WonDeals = won,
        LostDeals = lost,
        TrainingExamples = training.Count,
        RulesMetrics = rulesMetrics,
        Candidates = candidates,
        TrainedFrom = training.Count > 0 ? DateOnly.FromDateTime(training.Min(e => e.At).UtcDateTime) : null,
        TrainedTo = training.Count > 0 ? DateOnly.FromDateTime(training.Max(e => e.ClosedAt).UtcDateTime) : null,
        FinishedAt = now,
    };
}
