using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Modeling;

/// <summary>Everything one training run produced: the models (kept whether served or not), the decision and the holdout as each scorer scored it.</summary>
public sealed record TrainingRun(ModelTrained Result, IReadOnlyList<ModelRecord> Models, ModelRecord? Promoted, HoldoutReplay? Holdout = null);

/// <summary>The held-out snapshots with the 0–100 scores the rules and each candidate (by model version) gave them.</summary>
public sealed record HoldoutReplay(IReadOnlyList<TrainingExample> Examples, IReadOnlyList<int> RuleScores, IReadOnlyDictionary<string, IReadOnlyList<int>> ModelScores);

/// <summary>
/// One training run: time-ordered split by close date (older deals train, the newest <c>holdoutShare</c> test), the
/// minimum-history check, both trainers, the rules on the same holdout, and the gate.
/// </summary>
public sealed class TrainingJob(RuleScorer rules, ModelGate gate, int seed, double holdoutShare, TimeProvider time, TrainServeCheck? trainServe = null)
{
    public const double RequiredPresence = 0.95;
    /// <summary>Drift is measured against the populations of the training window's last months, when the statistics were mature.</summary>
    public const int DriftReferenceMonths = 6;
    public const int MinimumOpenDealsForDriftReference = 100;

    private readonly TrainServeCheck _trainServe = trainServe ?? new TrainServeCheck();

    /// <param name="population">Unlabelled cross-sections the batch scored; drift bins come from those in the training window's last months (the training rows when there are none).</param>
    /// <param name="openNow">The deals open now, as the batch scores them: a feature they disagree on with the training snapshots is left out.</param>
    public TrainingRun Run(
        Guid correlationId, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples,
        IReadOnlyList<PopulationSnapshot>? population = null, bool dryRun = false, IReadOnlyList<PopulationSnapshot>? openNow = null)
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
        var ruleScores = holdout.Select(e => rules.Score(e.Vector, index).Score).ToList();
        var holdoutDeals = holdoutWon + holdoutLostDeals;
        var rulesMetrics = HoldoutMetrics.Compute(ruleScores.Select(score => score / 100.0).ToList(), holdoutLost, alertProbability) with { HoldoutDeals = holdoutDeals };
        var backtests = new List<BacktestResult> { Backtester.Replay(RuleScorer.ScorerName, holdout, ruleScores, rules.Rules.Levels.High) };

        // Every feature is screened for leakage, also one the train/serve check leaves out: such a field says the export itself is suspect.
        var leaks = gate.SuspectedLeaks(featureNames, holdout.Select(e => ModelRows.FromValues(e.Vector.Values)).ToList(), holdoutLost);
        var leftOut = _trainServe.Mismatches(featureNames, training, openNow ?? []);
        var kept = featureNames.Where(name => leftOut.All(m => m.Feature != name)).ToList();
        var positions = ModelRows.Positions(kept, featureNames);
        var trainRows = training.Select(e => ModelRows.Pick(e.Vector.Values, positions)).ToList();
        var trainLost = training.Select(e => e.Lost).ToList();
        var holdoutRows = holdout.Select(e => ModelRows.Pick(e.Vector.Values, positions)).ToList();
        var trainer = new ModelTrainer(seed);
        var records = new List<ModelRecord>();
        var candidates = new List<ModelCandidate>();
        var modelScores = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (var name in ModelTrainer.Trainers)
        {
            var model = trainer.Train(name, trainRows, trainLost, kept);
            var served = ServedRisk(model.Calibration, model.Scores(holdoutRows));
            var cutoffs = ModelLevelCutoffs.MatchingRules(served, ruleScores, holdoutLost, rules.Rules.Levels);
            var metrics = HoldoutMetrics.Compute(served.Select(score => score / 100.0).ToList(), holdoutLost, cutoffs.High / 100.0) with { HoldoutDeals = holdoutDeals };
            var importances = PermutationImportance.Compute(model, holdoutRows, holdoutLost, seed);
            var version = $"{name.ToLowerInvariant()}-{now:yyyyMMdd-HHmmss}-{correlationId.ToString("N")[..6]}";
            backtests.Add(Backtester.Replay(version, holdout, served, cutoffs.High));
            modelScores[version] = served;
            records.Add(new ModelRecord
            {
                ModelVersion = version,
                Trainer = name,
                ModelBytes = model.Save(),
                CalibrationA = model.Calibration.A,
                CalibrationB = model.Calibration.B,
                Seed = seed,
                FeatureNames = kept,
                RequiredFeatures = RequiredFeatures(kept, positions, training),
                Metrics = metrics,
                RulesMetrics = rulesMetrics,
                TrainedFrom = DateOnly.FromDateTime(training.Min(e => e.At).UtcDateTime),
                TrainedTo = DateOnly.FromDateTime(training.Max(e => e.ClosedAt).UtcDateTime),
                WonDeals = won,
                LostDeals = lost,
                TrainingExamples = training.Count,
                FeatureImportances = importances,
                DriftReference = DriftReference(kept, positions, training, population, openNow),
                TrainedAt = now,
                LevelCutoffs = cutoffs,
            });
            var gateReason = gate.Refusal(metrics, rulesMetrics, holdoutWon, holdoutLostDeals, model.Calibration, leaks);
            candidates.Add(new ModelCandidate
            {
                ModelVersion = version,
                Trainer = name,
                Metrics = metrics,
                PassedGate = gateReason is null,
                GateReason = gateReason,
                FeatureImportances = importances,
            });
        }

        var best = dryRun ? null : candidates.Where(c => c.PassedGate).OrderByDescending(c => c.Metrics.RocAuc).FirstOrDefault();
        var decision = Decision(dryRun, best, candidates, rulesMetrics, leaks, holdoutWon, holdoutLostDeals)
                       + (leftOut.Count == 0 ? "" : $" Left out of the models, as training snapshots and open deals disagree on them: {string.Join("; ", leftOut.Select(m => m.Describe()))}.");
        var promoted = best is null ? null : records.Single(r => r.ModelVersion == best.ModelVersion);
        return new TrainingRun(Result(correlationId, decision, refused: false, won, lost, training, rulesMetrics, candidates, now) with
        {
            Served = best is null ? RuleScorer.ScorerName : ModelScorer.ScorerName,
            ServedModelVersion = best?.ModelVersion,
            Backtests = backtests,
            DryRun = dryRun,
            SuspectedLeaks = leaks.Select(l => l.Feature).ToList(),
            LeftOutFeatures = leftOut.Select(m => m.Describe()).ToList(),
        }, dryRun ? [] : records, promoted, new HoldoutReplay(holdout, ruleScores, modelScores));
    }

    /// <summary>The risk scores (0–100) a model would serve for these raw scores: the gate judges these, ties from rounding included.</summary>
    public static IReadOnlyList<int> ServedRisk(PlattCalibration calibration, IReadOnlyList<float> rawScores) =>
        rawScores.Select(score => ModelScorer.RiskOf(calibration.Probability(score))).ToList();

    private string Decision(
        bool dryRun, ModelCandidate? best, IReadOnlyList<ModelCandidate> candidates, ModelMetrics rulesMetrics,
        IReadOnlyList<(string Feature, double Auc)> leaks, int holdoutWon, int holdoutLost)
    {
        var bestAuc = candidates.Max(c => c.Metrics.RocAuc);
        if (dryRun)
            return $"Dry run: nothing kept or promoted (rules' holdout ROC-AUC {rulesMetrics.RocAuc:0.000}, best model {bestAuc:0.000}).";
        if (best is not null)
            return $"Serving {best.ModelVersion}: holdout ROC-AUC {best.Metrics.RocAuc:0.000} against the rules' {rulesMetrics.RocAuc:0.000}.";
        if (leaks.Count > 0)
            return $"Model refused, {gate.LeakageFinding(leaks)}.";
        if (bestAuc >= gate.MaximumPlausibleAuc)
            return $"Model refused, {candidates.MaxBy(c => c.Metrics.RocAuc)!.GateReason}.";
        if (candidates.All(c => c.GateReason?.StartsWith("its calibration", StringComparison.Ordinal) == true))
            return $"Rules stay: {string.Join("; ", candidates.Select(c => $"{c.Trainer}: {c.GateReason}"))}.";
        return $"Rules stay: no model beat the rules' holdout ROC-AUC {rulesMetrics.RocAuc:0.000} by the required margin (best {bestAuc:0.000}, needed +{gate.RequiredGain(bestAuc, holdoutWon, holdoutLost):0.000}).";
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

    private static string DealKey(TrainingExample example) => Contracts.DealKey.Of(example.Vector.Deal);

    private static int DistinctDeals(IEnumerable<TrainingExample> examples, bool lost) =>
        examples.Where(e => e.Lost == lost).Select(DealKey).Distinct().Count();

    /// <summary>
    /// The population the model was trained to serve, as the batch scores it: the deals open now. Past month ends are
    /// rebuilt from history, and fields without history (a next step's date, say) look different rebuilt than read
    /// today, so comparing a batch with them raised false drift; they remain the reference only without enough open deals.
    /// </summary>
    private static IReadOnlyList<FeatureBins> DriftReference(
        IReadOnlyList<string> names, IReadOnlyList<int> positions, IReadOnlyList<TrainingExample> training,
        IReadOnlyList<PopulationSnapshot>? population, IReadOnlyList<PopulationSnapshot>? openNow)
    {
        var trainingEnd = training.Max(e => e.ClosedAt);
        var rows = openNow is { Count: >= MinimumOpenDealsForDriftReference }
            ? openNow.Select(p => p.Values).ToList()
            : population?.Where(p => p.At <= trainingEnd && p.At > trainingEnd.AddMonths(-DriftReferenceMonths)).Select(p => p.Values).ToList() is { Count: > 0 } window
            ? window
            : training.Select(e => e.Vector.Values).ToList();
        return names.Select((feature, i) => FeatureBins.FromValues(feature, rows.Select(values => values[positions[i]]).ToList())).ToList();
    }

    private static IReadOnlyList<string> RequiredFeatures(IReadOnlyList<string> names, IReadOnlyList<int> positions, IReadOnlyList<TrainingExample> training) =>
        names.Where((_, i) => training.Count(e => e.Vector.Values[positions[i]] is not null) >= RequiredPresence * training.Count).ToList();

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
