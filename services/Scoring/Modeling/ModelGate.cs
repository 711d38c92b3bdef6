using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Serves a model only with enough history behind it and a holdout ROC-AUC clearly above the rules': by at least
/// <see cref="MinimumAucGain"/> and by more than twice the AUC's standard error (Hanley–McNeil, counted in deals),
/// so a model that wins by noise on data without signal does not replace the rules. A deal's outcome is never that
/// predictable while it is open: a holdout ROC-AUC of <see cref="MaximumPlausibleAuc"/> or more, or one feature alone
/// ranking the holdout at <see cref="MaximumSingleFeatureAuc"/> or more, is refused as suspected leakage.
/// </summary>
public sealed record ModelGate(
    int MinimumWonDeals, int MinimumLostDeals, double MinimumAucGain = 0.02, double MaximumPlausibleAuc = 0.95, double MaximumSingleFeatureAuc = 0.90)
{
    public string? RefuseTrainingSet(int won, int lost) =>
        won >= MinimumWonDeals && lost >= MinimumLostDeals
            ? null
            : $"Training set refused: {won} won and {lost} lost deals closed in the training window; at least {MinimumWonDeals} won and {MinimumLostDeals} lost are needed.";

    public double RequiredGain(double modelAuc, int holdoutWon, int holdoutLost) =>
        Math.Max(MinimumAucGain, 2 * StandardError(modelAuc, holdoutLost, holdoutWon));

    public bool Passes(ModelMetrics model, ModelMetrics rules, int holdoutWon, int holdoutLost) =>
        model.RocAuc - rules.RocAuc > RequiredGain(model.RocAuc, holdoutWon, holdoutLost);

    /// <summary>The features that alone rank the holdout implausibly well, strongest first.</summary>
    public IReadOnlyList<(string Feature, double Auc)> SuspectedLeaks(IReadOnlyList<string> featureNames, IReadOnlyList<float[]> holdoutRows, IReadOnlyList<bool> lost) =>
        featureNames.Select((feature, i) => (Feature: feature, Auc: SingleFeatureAuc.Of(holdoutRows, i, lost)))
            .Where(f => f.Auc >= MaximumSingleFeatureAuc)
            .OrderByDescending(f => f.Auc)
            .ToList();

    /// <summary>Why a candidate is refused, or null when it may be served. <paramref name="model"/> are the metrics of the scores it would serve.</summary>
    public string? Refusal(ModelMetrics model, ModelMetrics rules, int holdoutWon, int holdoutLost, PlattCalibration calibration, IReadOnlyList<(string Feature, double Auc)> leaks)
    {
        if (leaks.Count > 0)
            return LeakageFinding(leaks);
        if (model.RocAuc >= MaximumPlausibleAuc)
            return string.Create(CultureInfo.InvariantCulture,
                $"suspected leakage: holdout ROC-AUC {model.RocAuc:0.000} is implausibly high (at least {MaximumPlausibleAuc:0.00}) for deals scored while open; some field likely records the outcome");
        if (!calibration.IsIncreasing)
            return string.Create(CultureInfo.InvariantCulture,
                $"its calibration is not increasing (slope {-calibration.A:0.###}): it would invert or flatten the ranking");
        return Passes(model, rules, holdoutWon, holdoutLost)
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"holdout ROC-AUC {model.RocAuc:0.000} does not beat the rules' {rules.RocAuc:0.000} by the required +{RequiredGain(model.RocAuc, holdoutWon, holdoutLost):0.000}");
    }

    public string LeakageFinding(IReadOnlyList<(string Feature, double Auc)> leaks)
    {
        var features = string.Join(", ", leaks.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Feature} alone ranks the holdout at ROC-AUC {l.Auc:0.000}")));
        var limit = MaximumSingleFeatureAuc.ToString("0.00", CultureInfo.InvariantCulture);
        return $"suspected leakage: {features} (at least {limit} is implausible for a field known while the deal is open; a field filled in only at close, "
               + "such as a closing value, should be declared finalOnly in the mapping file or left out of the export)";
    }

    public static double StandardError(double auc, int positives, int negatives)
    {
        if (positives == 0 || negatives == 0) return 0.5;
        var q1 = auc / (2 - auc);
        var q2 = 2 * auc * auc / (1 + auc);
        var variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / ((double)positives * negatives);
        return Math.Sqrt(Math.Max(0, variance));
    }
}
