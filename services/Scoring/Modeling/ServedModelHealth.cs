using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Modeling;

/// <summary>The served model against the rules on deals that closed after its training window.</summary>
public sealed record ServedModelVerdict(double ModelAuc, double RulesAuc, int WonDeals, int LostDeals)
{
    public bool FellBelowRules => ModelAuc < RulesAuc;
}

/// <summary>
/// Re-evaluates the model being served on deals closed since it was trained (their month-end snapshots), so a model
/// that has stopped beating the rules is noticed even when no new candidate passes the gate.
/// </summary>
public sealed class ServedModelHealth(RuleScorer rules, int minimumDealsPerClass)
{
    public ServedModelVerdict? Check(ServedRiskModel served, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples)
    {
        var trainedTo = new DateTimeOffset(served.Record.TrainedTo.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
        var fresh = examples.Where(e => e.ClosedAt > trainedTo).ToList();
        var won = fresh.Where(e => !e.Lost).Select(Key).Distinct().Count();
        var lost = fresh.Where(e => e.Lost).Select(Key).Distinct().Count();
        if (won < minimumDealsPerClass || lost < minimumDealsPerClass)
            return null;

        var positions = ModelRows.Positions(served.Record.FeatureNames, featureNames);
        var labels = fresh.Select(e => e.Lost).ToList();
        var modelScores = served.Model.Scores(fresh.Select(e => ModelRows.Pick(e.Vector.Values, positions)).ToList()).Select(score => (double)score).ToList();
        var index = RuleScorer.FeatureIndex(featureNames);
        var ruleScores = fresh.Select(e => (double)rules.Score(e.Vector, index).Score).ToList();
        return new ServedModelVerdict(HoldoutMetrics.RocAuc(modelScores, labels), HoldoutMetrics.RocAuc(ruleScores, labels), won, lost);
    }

    private static string Key(TrainingExample example) => $"{example.Vector.Deal.Source}:{example.Vector.Deal.ExternalId}";
}
