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
    public double Psi(IReadOnlyList<double?> values)
    {
        var actual = SharesOf(Edges, values);
        const double floor = 1e-4;
        double psi = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var expected = Math.Max(floor, Shares[i]);
            var observed = Math.Max(floor, actual[i]);
            psi += (observed - expected) * Math.Log(observed / expected);
        }
        return psi;
    }

    private static IReadOnlyList<double> SharesOf(IReadOnlyList<double> edges, IReadOnlyList<double?> values)
    {
        var counts = new double[edges.Count + 2];
        foreach (var value in values)
        {
            if (value is not { } v || double.IsNaN(v)) { counts[^1]++; continue; }
            var bin = 0;
            while (bin < edges.Count && v >= edges[bin]) bin++;
            counts[bin]++;
        }
        var total = Math.Max(1, values.Count);
        return counts.Select(c => c / total).ToArray();
    }
}
