using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>PSI of the scored population against the training data, on the model's most important features.</summary>
public sealed record DriftMonitor(double PsiThreshold, int WatchedFeatures, int MinimumDeals)
{
    /// <summary>The watched features whose PSI crosses the threshold; empty when stable or too few deals to judge.</summary>
    public IReadOnlyList<FeatureDrift> Shifted(ModelRecord record, FeaturesComputed computed)
    {
        if (computed.Deals.Count < MinimumDeals) return [];
        var watched = record.FeatureImportances.Where(i => i.Importance > 0).Take(WatchedFeatures).Select(i => i.Feature).ToHashSet();
        var shifted = new List<FeatureDrift>();
        foreach (var bins in record.DriftReference.Where(b => watched.Contains(b.Feature)))
        {
            var position = IndexOf(computed.FeatureNames, bins.Feature);
            if (position < 0) continue;
            var psi = bins.Psi(computed.Deals.Select(d => d.Values[position]).ToList());
            DealRisk.ServiceDefaults.DealRiskMetrics.FeaturePsi.Record(psi, new KeyValuePair<string, object?>("feature", bins.Feature));
            if (psi > PsiThreshold) shifted.Add(new FeatureDrift { Feature = bins.Feature, Psi = psi });
        }
        return shifted;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }
}
