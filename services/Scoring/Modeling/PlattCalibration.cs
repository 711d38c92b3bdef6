namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Maps a raw tree-ensemble score to a probability of loss, p = 1 / (1 + exp(A·s + B)), fitted by Newton's method
/// on examples the trees did not train on (FastForest gives a score but no probability).
/// </summary>
public sealed record PlattCalibration(double A, double B)
{
    public double Probability(double score) => 1.0 / (1.0 + Math.Exp(A * score + B));

    /// <summary>Whether a higher raw score always means a higher probability of loss; otherwise the fit would invert or flatten the ranking.</summary>
    public bool IsIncreasing => A < 0;

    public static PlattCalibration Fit(IReadOnlyList<float> scores, IReadOnlyList<bool> lost)
    {
        var positives = lost.Count(l => l);
        var negatives = lost.Count - positives;
        // Platt's smoothed targets keep the fit finite when the classes separate perfectly.
        var high = (positives + 1.0) / (positives + 2.0);
        var low = 1.0 / (negatives + 2.0);
        double a = 0, b = Math.Log((negatives + 1.0) / (positives + 1.0));
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double gA = 0, gB = 0, hAA = 1e-12, hAB = 0, hBB = 1e-12;
            for (var i = 0; i < scores.Count; i++)
            {
                var s = scores[i];
                var p = 1.0 / (1.0 + Math.Exp(a * s + b));
                var t = lost[i] ? high : low;
                var d = t - p;
                var w = p * (1 - p);
                gA += d * s;
                gB += d;
                hAA += w * s * s;
                hAB += w * s;
                hBB += w;
            }
            var determinant = hAA * hBB - hAB * hAB;
            if (Math.Abs(determinant) < 1e-12) break;
            var stepA = -(hBB * gA - hAB * gB) / determinant;
            var stepB = -(-hAB * gA + hAA * gB) / determinant;
            a += stepA;
            b += stepB;
            if (Math.Abs(stepA) < 1e-9 && Math.Abs(stepB) < 1e-9) break;
        }
        return new PlattCalibration(a, b);
    }
}
