using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// The evaluations a training run makes possible, since its training set carries every closed deal's outcome: the
/// served scorer and the rules on the run's holdout (replayed at month ends), and on the deals closed after the served
/// model's training window with the scores the daily batches actually gave them while they were open.
/// </summary>
public sealed class TrainingTrackRecord(RuleScorer rules, IPastScores pastScores, TrackRecordCalculator calculator)
{
    /// <param name="servedCutoffs">The served model's own level cut-offs, so its replayed flags are the ones it would have raised.</param>
    public IReadOnlyList<ScorerEvaluation> Holdout(HoldoutReplay holdout, string? servedModelVersion, IReadOnlyList<int>? servedScores, ModelLevelCutoffs? servedCutoffs)
    {
        var evaluations = new List<ScorerEvaluation>();
        if (servedModelVersion is not null && servedScores is not null)
            evaluations.Add(calculator.Evaluate(ModelScorer.ScorerName, servedModelVersion, ScorerEvaluation.Populations.Holdout,
                Replayed(holdout.Examples, servedScores, servedCutoffs is null ? rules.LevelOf : servedCutoffs.LevelOf)));
        evaluations.Add(calculator.Evaluate(RuleScorer.ScorerName, null, ScorerEvaluation.Populations.Holdout, Replayed(holdout.Examples, holdout.RuleScores, rules.LevelOf)));
        return evaluations;
    }

    /// <summary>Deals closed after <paramref name="trainedTo"/>, each with the scores it had before its close, per scorer that gave them.</summary>
    public Task<IReadOnlyList<ScorerEvaluation>> ClosedSinceAsync(
        DateOnly trainedTo, string? servedModelVersion, IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
    {
        var after = ClosedOutcome.EndOf(trainedTo);
        var outcomes = examples.Where(e => e.ClosedAt > after)
            .GroupBy(e => DealKey.Of(e.Vector.Deal), StringComparer.Ordinal)
            .Select(g => ClosedOutcome.Of(g.MaxBy(e => e.At)!))
            .ToList();
        return ClosedSinceAsync(outcomes, servedModelVersion, cancellationToken);
    }

    /// <summary>The given closed deals, each with the scores it had before its close, per scorer that gave them.</summary>
    public async Task<IReadOnlyList<ScorerEvaluation>> ClosedSinceAsync(
        IReadOnlyCollection<ClosedOutcome> closed, string? servedModelVersion, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, ClosedOutcome>(closed.Count, StringComparer.Ordinal);
        foreach (var outcome in closed)
            outcomes[outcome.Key] = outcome;
        var byRules = new Dictionary<string, List<ScoredInstant>>(StringComparer.Ordinal);
        var byModel = new Dictionary<string, List<ScoredInstant>>(StringComparer.Ordinal);
        await foreach (var past in pastScores.ForDealsAsync(outcomes.Keys.ToHashSet(StringComparer.Ordinal), cancellationToken))
        {
            if (past.AsOf >= outcomes[past.DealKey].ClosedAt) continue;
            var scores = past.Scorer == RuleScorer.ScorerName ? byRules
                : servedModelVersion is not null && past.ModelVersion == servedModelVersion ? byModel
                : null;
            if (scores is null) continue;
            if (!scores.TryGetValue(past.DealKey, out var instants)) scores[past.DealKey] = instants = [];
            instants.Add(new ScoredInstant(past.AsOf, past.Score, past.Level));
        }

        var evaluations = new List<ScorerEvaluation>();
        if (servedModelVersion is not null)
            evaluations.Add(calculator.Evaluate(ModelScorer.ScorerName, servedModelVersion, ScorerEvaluation.Populations.ClosedSinceTraining, Deals(outcomes, byModel)));
        evaluations.Add(calculator.Evaluate(RuleScorer.ScorerName, null, ScorerEvaluation.Populations.ClosedSinceTraining, Deals(outcomes, byRules)));
        return evaluations;
    }

    private static List<ClosedDealScores> Replayed(IReadOnlyList<TrainingExample> examples, IReadOnlyList<int> scores, Func<int, string> levelOf) =>
        examples.Select((example, i) => (Example: example, Instant: new ScoredInstant(example.At, scores[i], levelOf(scores[i]))))
            .GroupBy(item => DealKey.Of(item.Example.Vector.Deal), StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.MaxBy(item => item.Example.At).Example;
                return new ClosedDealScores(g.Key, latest.Vector.Deal.Industry, latest.Vector.Deal.Region, latest.Lost, latest.ClosedAt, g.Select(item => item.Instant).ToList());
            })
            .ToList();

    private static List<ClosedDealScores> Deals(Dictionary<string, ClosedOutcome> outcomes, Dictionary<string, List<ScoredInstant>> scores) =>
        scores.Select(pair =>
        {
            var outcome = outcomes[pair.Key];
            return new ClosedDealScores(pair.Key, outcome.Industry, outcome.Region, outcome.Lost, outcome.ClosedAt, pair.Value);
        }).ToList();
}
