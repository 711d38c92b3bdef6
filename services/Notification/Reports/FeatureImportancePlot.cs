using DealRisk.Notification.Storage;
using ScottPlot;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The served model's feature importances as a horizontal bar chart. When the rules are served there is no model to
/// explain: no plot is drawn and the summary says the rules are served (rule weights are fixed, documented in the README).
/// </summary>
public static class FeatureImportancePlot
{
    public const string FileName = "feature-importance.png";
    private const int MaxFeatures = 15;

    /// <summary>Writes the PNG and returns true, or returns false when no promoted model is being served.</summary>
    public static bool TryWrite(ModelStatus? model, string directory)
    {
        if (model is not { ServingRules: false } || model.FeatureImportances.Count == 0)
            return false;

        var features = model.FeatureImportances.OrderByDescending(f => f.Importance).Take(MaxFeatures).Reverse().ToList();
        var plot = new Plot();
        var bars = plot.Add.Bars(features.Select(f => f.Importance).ToArray());
        bars.Horizontal = true;
        bars.Color = new Color(0x2F, 0x6F, 0xB0);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, features.Count).Select(i => (double)i).ToArray(), features.Select(f => f.Feature).ToArray());
        plot.Axes.Margins(left: 0);
        plot.Title($"Feature importance — model {model.ModelVersion}");
        plot.XLabel("Drop in ROC-AUC when the feature is shuffled");
        plot.SavePng(Path.Combine(directory, FileName), 900, 120 + 32 * features.Count);
        return true;
    }
}
