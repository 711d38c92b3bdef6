namespace DealRisk.Benchmarks;

/// <summary>Percentiles as the latency benchmarks report them: the nearest-rank value, NaN when there are no values.</summary>
public static class NearestRank
{
    public static double Percentile(IEnumerable<double> values, double quantile) => OfSorted([.. values.Order()], quantile);

    /// <summary>The same for values already in ascending order, to take several percentiles of one sort.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
