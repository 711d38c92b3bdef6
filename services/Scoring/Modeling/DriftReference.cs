namespace DealRisk.Scoring.Modeling;

/// <summary>A feature's distribution in the training data: decile edges, the share of rows per bin, and the share missing.</summary>
public sealed record FeatureBins
{
    public required string Feature { get; init; }
    public required IReadOnlyList<double> Edges { get; init; }
    /// <summary>One share per bin (Edges.Count + 1 bins), then the missing share last.</summary>
    public required IReadOnlyList<double> Shares { get; init; }

    public static FeatureBins FromValues(string feature, IReadOnlyList<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        var edges = new List<double>();
        for (var decile = 1; decile < 10 && present.Length > 0; decile++)
        {
            var edge = present[Math.Min(present.Length - 1, present.Length * decile / 10)];
            if (edges.Count == 0 || edge > edges[^1]) edges.Add(edge);
        }
        return new FeatureBins { Feature = feature, Edges = edges, Shares = SharesOf(edges, values) };
    }

    /// <summary>Population Stability Index of these values against the training shares (&gt; 0.25: shifted).</summary>
    public double Psi(IReadOnlyList<double?> values) => PsiOf(Count(values));

    /// <summary>PSI of a population given as <see cref="Count"/>'s counts, which add up across the chunks of a batch.</summary>
    public double PsiOf(IReadOnlyList<long> counts)
    {
        const double floor = 1e-4;
        var total = Math.Max(1, counts.Sum());
        double psi = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            var expected = Math.Max(floor, Shares[i]);
            var observed = Math.Max(floor, (double)counts[i] / total);
            psi += (observed - expected) * Math.Log(observed / expected);
        }
        return psi;
    }

    /// <summary>How many values fall in each bin, then how many are missing.</summary>
    public long[] Count(IEnumerable<double?> values) => CountsOf(Edges, values);

    private static long[] CountsOf(IReadOnlyList<double> edges, IEnumerable<double?> values)
    {
        var counts = new long[edges.Count + 2];
        foreach (var value in values)
        {
            if (value is not { } v || double.IsNaN(v)) { counts[^1]++; continue; }
            var bin = 0;
            while (bin < edges.Count && v >= edges[bin]) bin++;
            counts[bin]++;
        }
        return counts;
    }

    private static IReadOnlyList<double> SharesOf(IReadOnlyList<double> edges, IReadOnlyList<double?> values)
    {
        var total = Math.Max(1, values.Count);
        return CountsOf(edges, values).Select(c => (double)c / total).ToArray();
    }
}
