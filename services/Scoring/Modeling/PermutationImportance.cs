using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>How much the holdout ROC-AUC drops when one feature's values are shuffled across rows (seeded).</summary>
public static class PermutationImportance
{
    public static IReadOnlyList<FeatureImportance> Compute(RiskModel model, IReadOnlyList<float[]> rows, IReadOnlyList<bool> lost, int seed)
    {
        var baseline = Auc(model, rows, lost);
        var random = new Random(seed);
        var importances = new List<FeatureImportance>(model.FeatureNames.Count);
        for (var feature = 0; feature < model.FeatureNames.Count; feature++)
        {
            var order = Enumerable.Range(0, rows.Count).ToArray();
            random.Shuffle(order);
            var shuffled = new float[rows.Count][];
            for (var i = 0; i < rows.Count; i++)
            {
                shuffled[i] = (float[])rows[i].Clone();
                shuffled[i][feature] = rows[order[i]][feature];
            }
            importances.Add(new FeatureImportance { Feature = model.FeatureNames[feature], Importance = baseline - Auc(model, shuffled, lost) });
        }
        return importances.OrderByDescending(i => i.Importance).ToList();
    }

    private static double Auc(RiskModel model, IReadOnlyList<float[]> rows, IReadOnlyList<bool> lost) =>
        HoldoutMetrics.RocAuc(model.Scores(rows).Select(score => (double)score).ToList(), lost);
}
