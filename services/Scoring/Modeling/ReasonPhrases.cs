using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>Turns a feature that pushed a deal's risk up into plain words; null when its value is not a risk worth naming.</summary>
public static class ReasonPhrases
{
    public static string? Describe(string feature, double? value, DealProfile deal) => RiskSignals.Find(feature)?.Describe(value, deal);
}
