using System.Globalization;
using System.Text;
using System.Text.Json;
using DealRisk.Charts;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>Writes a trained model's metrics (JSON), permutation importances (CSV) and their bar chart (PNG) to its own folder.</summary>
public sealed class ModelReportWriter(IOptions<ScoringOptions> options)
{
    public const string MetricsFile = "metrics.json";
    public const string ImportanceCsvFile = "feature-importance.csv";
    public const string ImportancePngFile = FeatureImportanceChart.FileName;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string DirectoryOf(string modelVersion) => Path.GetFullPath(Path.Combine(options.Value.ModelDirectory, modelVersion));

    public void Write(ModelRecord model)
    {
        var directory = DirectoryOf(model.ModelVersion);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MetricsFile), JsonSerializer.Serialize(model with { ModelBytes = [], DriftReference = [] }, Json));

        var csv = new StringBuilder("feature,importance\n");
        foreach (var importance in model.FeatureImportances)
            csv.Append(importance.Feature).Append(',').Append(importance.Importance.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(Path.Combine(directory, ImportanceCsvFile), csv.ToString());

        FeatureImportanceChart.Save(model.ModelVersion, model.FeatureImportances, Path.Combine(directory, ImportancePngFile));
    }
}
