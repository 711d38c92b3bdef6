using System.Globalization;

namespace DealRisk.Scoring.Modeling;

/// <summary>What every scored message says about its scorer: the model with its holdout ROC-AUC against the rules', or the rules and why.</summary>
public static class ScorerStatement
{
    public const string NoModelYet = "no model trained yet";

    public static string Model(ModelRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.ModelVersion} (holdout ROC-AUC {record.Metrics.RocAuc:0.00} vs rules {record.RulesMetrics.RocAuc:0.00})");

    public static string Rules(string? reason) => $"rules: {reason ?? NoModelYet}";
}
