using DealRisk.Contracts;
using ScottPlot;

namespace DealRisk.Charts;

/// <summary>A model's permutation importances as a horizontal bar chart, most important on top: the one chart the model folder and the daily report both show.</summary>
public static class FeatureImportanceChart
{
    public const string FileName = "feature-importance.png";
    public const int MaxFeatures = 15;

    public static void Save(string modelVersion, IReadOnlyList<FeatureImportance> importances, string path)
    {
        var features = importances.OrderByDescending(f => f.Importance).Take(MaxFeatures).Reverse().ToList();
        var plot = new Plot();
        var bars = plot.Add.Bars(features.Select(f => f.Importance).ToArray());
        bars.Horizontal = true;
        bars.Color = new Color(0x2F, 0x6F, 0xB0);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, features.Count).Select(i => (double)i).ToArray(), features.Select(f => f.Feature).ToArray());
        plot.Axes.Margins(left: 0);
        plot.Title($"Feature importance — model {modelVersion}");
        plot.XLabel("Drop in ROC-AUC when the feature is shuffled");
        plot.SavePng(path, 900, 120 + 32 * features.Count);
    }
}
