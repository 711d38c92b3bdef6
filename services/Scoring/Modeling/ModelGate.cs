using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Serves a model only with enough history behind it and a holdout ROC-AUC clearly above the rules': by at least
/// <see cref="MinimumAucGain"/> and by more than twice the AUC's standard error (Hanley–McNeil, counted in deals),
/// so a model that wins by noise on data without signal does not replace the rules.
/// </summary>
public sealed record ModelGate(int MinimumWonDeals, int MinimumLostDeals, double MinimumAucGain = 0.02)
{
    public string? RefuseTrainingSet(int won, int lost) =>
        won >= MinimumWonDeals && lost >= MinimumLostDeals
            ? null
            : $"Training set refused: {won} won and {lost} lost deals closed in the training window; at least {MinimumWonDeals} won and {MinimumLostDeals} lost are needed.";

    public double RequiredGain(double modelAuc, int holdoutWon, int holdoutLost) =>
        Math.Max(MinimumAucGain, 2 * StandardError(modelAuc, holdoutLost, holdoutWon));

    public bool Passes(ModelMetrics model, ModelMetrics rules, int holdoutWon, int holdoutLost) =>
        model.RocAuc - rules.RocAuc > RequiredGain(model.RocAuc, holdoutWon, holdoutLost);

    public static double StandardError(double auc, int positives, int negatives)
    {
        if (positives == 0 || negatives == 0) return 0.5;
        var q1 = auc / (2 - auc);
        var q2 = 2 * auc * auc / (1 + auc);
        var variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / ((double)positives * negatives);
        return Math.Sqrt(Math.Max(0, variance));
    }
}
