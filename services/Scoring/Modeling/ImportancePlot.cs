namespace DealRisk.Scoring.Modeling;

/// <summary>A horizontal bar chart of permutation importances, most important on top.</summary>
public static class ImportancePlot
{
    public const int MaxFeatures = 20;

    public static void Save(ModelRecord model, string path)
    {
        var top = model.FeatureImportances.Take(MaxFeatures).Reverse().ToList();
        var plot = new ScottPlot.Plot();
        var bars = top.Select((importance, i) => new ScottPlot.Bar { Position = i, Value = importance.Importance }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.SetTicks(top.Select((_, i) => (double)i).ToArray(), top.Select(i => i.Feature).ToArray());
        plot.Title($"{model.ModelVersion}: permutation importance");
        plot.XLabel("ROC-AUC drop when shuffled");
        plot.SavePng(path, 1000, 700);
    }
}
