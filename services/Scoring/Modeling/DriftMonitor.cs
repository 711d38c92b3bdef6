using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// PSI of the scored population against the training data, on the model's most important features. A population is
/// tallied into the model's bins first, so the tallies of a batch's chunks add up to the whole batch.
/// </summary>
public sealed record DriftMonitor(double PsiThreshold, int WatchedFeatures, int MinimumDeals)
{
    /// <summary>Below this PSI a feature is stable; from it up to the threshold it is worth watching.</summary>
    public const double WatchFrom = 0.1;

    /// <summary>Per watched feature, how many of these deals fall in each of the model's training bins.</summary>
    public IReadOnlyList<FeatureTally> Tally(ModelRecord record, FeaturesComputed computed)
    {
        var tallies = new List<FeatureTally>();
        foreach (var (_, bins) in Watched(record))
        {
            var position = IndexOf(computed.FeatureNames, bins.Feature);
            if (position >= 0)
                tallies.Add(new FeatureTally { Feature = bins.Feature, Counts = bins.Count(computed.Deals.Select(d => d.Values[position])) });
        }
        return tallies;
    }

    /// <summary>Every watched feature's PSI and state, most important first; empty when too few deals to judge.</summary>
    public IReadOnlyList<FeatureDriftState> Measure(ModelRecord record, IReadOnlyList<FeatureTally> tallies)
    {
        var measured = new List<FeatureDriftState>();
        foreach (var (importance, bins) in Watched(record))
        {
            if (tallies.FirstOrDefault(t => t.Feature == bins.Feature) is not { } tally || tally.Counts.Sum() < MinimumDeals)
                continue;
            var psi = bins.PsiOf(tally.Counts);
            DealRisk.ServiceDefaults.DealRiskMetrics.FeaturePsi.Record(psi, new KeyValuePair<string, object?>("feature", bins.Feature));
            measured.Add(new FeatureDriftState { Feature = bins.Feature, Importance = importance.Importance, Psi = psi, State = StateOf(psi) });
        }
        return measured;
    }

    /// <summary>The measured features whose PSI crosses the threshold.</summary>
    public static IReadOnlyList<FeatureDrift> Shifted(IReadOnlyList<FeatureDriftState> measured) =>
        [.. measured.Where(m => m.State == FeatureDriftState.States.Shifted).Select(m => new FeatureDrift { Feature = m.Feature, Psi = m.Psi })];

    public string StateOf(double psi) =>
        psi > PsiThreshold ? FeatureDriftState.States.Shifted : psi >= WatchFrom ? FeatureDriftState.States.Watch : FeatureDriftState.States.Stable;

    private IEnumerable<(FeatureImportance Importance, FeatureBins Bins)> Watched(ModelRecord record) =>
        record.FeatureImportances.Where(i => i.Importance > 0).Take(WatchedFeatures)
            .Select(importance => (importance, bins: record.DriftReference.FirstOrDefault(b => b.Feature == importance.Feature)))
            .Where(pair => pair.bins is not null)
            .Select(pair => (pair.importance, pair.bins!));

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }
}

/// <summary>One feature's deals per training bin, the missing ones last (<see cref="FeatureBins.Count"/>).</summary>
public sealed record FeatureTally
{
    public required string Feature { get; init; }
    public required IReadOnlyList<long> Counts { get; init; }

    /// <summary>The tallies of several populations (a batch's chunks) as one, feature by feature.</summary>
    public static IReadOnlyList<FeatureTally> Sum(IEnumerable<FeatureTally> tallies) =>
        [.. tallies.GroupBy(t => t.Feature).Select(group => new FeatureTally
        {
            Feature = group.Key,
            Counts = group.Aggregate(new long[group.First().Counts.Count], (sum, tally) =>
            {
                for (var i = 0; i < sum.Length; i++) sum[i] += tally.Counts[i];
                return sum;
            }),
        })];
}
