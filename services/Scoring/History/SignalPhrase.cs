using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;

namespace DealRisk.Scoring.History;

/// <summary>A signal in words: its reason phrase where it has one, otherwise its name.</summary>
public static class SignalPhrase
{
    public static string Of(string signal, double? value, DealProfile deal) =>
        signal == ScoreReason.DataQuality ? "Data incomplete"
        : ReasonPhrases.Describe(signal, value, deal) ?? signal.Replace('_', ' ');
}
