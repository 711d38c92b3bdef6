namespace DealRisk.Scoring.Modeling;

/// <summary>
/// How well one feature alone ranks lost deals above won ones: in whichever direction ranks better, and with its
/// missing values put wherever they rank better, since a field filled in only for one outcome leaks through its absence too.
/// </summary>
public static class SingleFeatureAuc
{
    public static double Of(IReadOnlyList<float[]> rows, int feature, IReadOnlyList<bool> lost)
    {
        var missingLow = new double[rows.Count];
        var missingHigh = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var value = rows[i][feature];
            var missing = ModelRows.IsMissing(value);
            missingLow[i] = missing ? double.NegativeInfinity : value;
            missingHigh[i] = missing ? double.PositiveInfinity : value;
        }
        return Math.Max(EitherDirection(HoldoutMetrics.RocAuc(missingLow, lost)), EitherDirection(HoldoutMetrics.RocAuc(missingHigh, lost)));
    }

    private static double EitherDirection(double auc) => Math.Max(auc, 1 - auc);
}
