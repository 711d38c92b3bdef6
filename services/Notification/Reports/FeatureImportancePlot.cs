using DealRisk.Charts;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The served model's feature importances beside the daily report. When the rules are served there is no model to
/// explain: no chart is drawn and the summary says the rules are served (rule weights are fixed, documented in the README).
/// </summary>
public static class FeatureImportancePlot
{
    public const string FileName = FeatureImportanceChart.FileName;

    /// <summary>Writes the PNG and returns true, or returns false when no promoted model is being served.</summary>
    public static bool TryWrite(ModelStatus? model, string directory)
    {
        if (model is not { ServingRules: false } || model.FeatureImportances.Count == 0)
            return false;
        FeatureImportanceChart.Save(model.ModelVersion ?? "(unnamed)", model.FeatureImportances, Path.Combine(directory, FileName));
        return true;
    }
}
