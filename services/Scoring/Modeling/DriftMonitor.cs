using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>PSI of the scored population against the training data, on the model's most important features.</summary>
public sealed record DriftMonitor(double PsiThreshold, int WatchedFeatures, int MinimumDeals)
{
    /// <summary>Below this PSI a feature is stable; from it up to the threshold it is worth watching.</summary>
    public const double WatchFrom = 0.1;

    /// <summary>The watched features whose PSI crosses the threshold; empty when stable or too few deals to judge.</summary>
    public IReadOnlyList<FeatureDrift> Shifted(ModelRecord record, FeaturesComputed computed)
    {
        var shifted = new List<FeatureDrift>();
        foreach (var measured in Measure(record, computed))
        {
            DealRisk.ServiceDefaults.DealRiskMetrics.FeaturePsi.Record(measured.Psi, new KeyValuePair<string, object?>("feature", measured.Feature));
            if (measured.Psi > PsiThreshold) shifted.Add(new FeatureDrift { Feature = measured.Feature, Psi = measured.Psi });
        }
        return shifted;
    }

    /// <summary>Every watched feature's PSI and state, most important first; empty when too few deals to judge.</summary>
    public IReadOnlyList<FeatureDriftState> Measure(ModelRecord record, FeaturesComputed computed)
    {
        if (computed.Deals.Count < MinimumDeals) return [];
        var watched = record.FeatureImportances.Where(i => i.Importance > 0).Take(WatchedFeatures).ToList();
        var measured = new List<FeatureDriftState>();
        foreach (var importance in watched)
        {
            var bins = record.DriftReference.FirstOrDefault(b => b.Feature == importance.Feature);
            var position = IndexOf(computed.FeatureNames, importance.Feature);
            if (bins is null || position < 0) continue;
            var psi = bins.Psi(computed.Deals.Select(d => d.Values[position]).ToList());
            measured.Add(new FeatureDriftState { Feature = importance.Feature, Importance = importance.Importance, Psi = psi, State = StateOf(psi) });
        }
        return measured;
    }

    public string StateOf(double psi) =>
        psi > PsiThreshold ? FeatureDriftState.States.Shifted : psi >= WatchFrom ? FeatureDriftState.States.Watch : FeatureDriftState.States.Stable;

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }
}
