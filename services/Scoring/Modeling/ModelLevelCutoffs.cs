using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// A model's own risk-level cut-offs on its 0–100 scores, chosen at training so that each level flags the same share
/// of the time-ordered holdout as the rules' level does on it: a HIGH from the model asks for as much attention as a
/// HIGH from the rules, and since the gate serves only a model that ranks the holdout better, more of it is lost deals.
/// </summary>
public sealed record ModelLevelCutoffs
{
    /// <summary>A cut-off no 0–100 score reaches: the level is never given.</summary>
    public const int Never = 101;

    public required int Critical { get; init; }
    public required int High { get; init; }
    public required int Medium { get; init; }
    /// <summary>Shares of the holdout the rules put at CRITICAL, at HIGH or worse and at MEDIUM or worse: what the cut-offs match.</summary>
    public required double CriticalShare { get; init; }
    public required double HighShare { get; init; }
    public required double MediumShare { get; init; }
    /// <summary>Share of the holdout's snapshots at HIGH or worse (and at CRITICAL) by these cut-offs that were lost.</summary>
    public required double HighPrecision { get; init; }
    public required double CriticalPrecision { get; init; }

    public string LevelOf(int risk) =>
        risk >= Critical ? RiskLevels.Critical
        : risk >= High ? RiskLevels.High
        : risk >= Medium ? RiskLevels.Medium
        : RiskLevels.Low;

    public static bool FlagsHighOrWorse(string level) => level is RiskLevels.High or RiskLevels.Critical;

    /// <param name="modelRisk">The 0–100 scores the model serves on the holdout.</param>
    /// <param name="ruleRisk">The rules' scores on the same holdout rows.</param>
    public static ModelLevelCutoffs MatchingRules(IReadOnlyList<int> modelRisk, IReadOnlyList<int> ruleRisk, IReadOnlyList<bool> lost, RiskLevelThresholds rules)
    {
        double ShareAtOrAbove(IReadOnlyList<int> risk, int cutoff) => risk.Count == 0 ? 0 : (double)risk.Count(r => r >= cutoff) / risk.Count;
        var criticalShare = ShareAtOrAbove(ruleRisk, rules.Critical);
        var highShare = ShareAtOrAbove(ruleRisk, rules.High);
        var mediumShare = ShareAtOrAbove(ruleRisk, rules.Medium);
        var critical = CutoffFor(modelRisk, criticalShare);
        var high = Math.Min(critical, CutoffFor(modelRisk, highShare));
        var medium = Math.Min(high, CutoffFor(modelRisk, mediumShare));
        return new ModelLevelCutoffs
        {
            Critical = critical,
            High = high,
            Medium = medium,
            CriticalShare = Math.Round(criticalShare, 4),
            HighShare = Math.Round(highShare, 4),
            MediumShare = Math.Round(mediumShare, 4),
            HighPrecision = Math.Round(PrecisionAtOrAbove(modelRisk, lost, high), 4),
            CriticalPrecision = Math.Round(PrecisionAtOrAbove(modelRisk, lost, critical), 4),
        };
    }

    /// <summary>The cut-off whose share of scores at or above it comes closest to <paramref name="share"/>; on a tie the higher one, which flags fewer.</summary>
    private static int CutoffFor(IReadOnlyList<int> risk, double share)
    {
        var atOrAbove = new int[Never + 2];
        foreach (var r in risk) atOrAbove[Math.Clamp(r, 0, 100)]++;
        for (var c = 100; c >= 0; c--) atOrAbove[c] += atOrAbove[c + 1];
        var best = Never;
        var bestGap = double.MaxValue;
        for (var c = Never; c >= 0; c--)
        {
            var gap = Math.Abs((risk.Count == 0 ? 0 : (double)atOrAbove[c] / risk.Count) - share);
            if (gap >= bestGap - 1e-12) continue;
            best = c;
            bestGap = gap;
        }
        return best;
    }

    private static double PrecisionAtOrAbove(IReadOnlyList<int> risk, IReadOnlyList<bool> lost, int cutoff)
    {
        int flagged = 0, flaggedLost = 0;
        for (var i = 0; i < risk.Count; i++)
        {
            if (risk[i] < cutoff) continue;
            flagged++;
            if (lost[i]) flaggedLost++;
        }
        return flagged == 0 ? 0 : (double)flaggedLost / flagged;
    }
}
