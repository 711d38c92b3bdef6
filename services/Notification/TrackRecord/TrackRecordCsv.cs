using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.TrackRecord;

/// <summary>
/// A track record's figures as CSV: one row per scorer, population and segment; the reliability bins; the lead-time
/// distribution; the drift state. Segment names come from the CRM: formula-like cells are escaped, line breaks become spaces.
/// </summary>
public static class TrackRecordCsv
{
    public static readonly string[] FigureColumns =
    [
        "scorer", "model_version", "population", "dimension", "segment", "deals", "lost_deals", "scores", "roc_auc", "pr_auc",
        "high_flagged", "high_flagged_lost", "high_precision", "critical_flagged", "critical_flagged_lost", "critical_precision",
        "lead_time_deals", "lead_time_p25_days", "lead_time_median_days", "lead_time_p75_days",
    ];

    public static void WriteFigures(string path, TrackRecordUpdated record) => Write(path, FigureColumns, record.Evaluations.SelectMany(evaluation =>
        new[] { Figures(evaluation, "all", "all", evaluation.Figures) }
            .Concat(evaluation.Segments.Select(segment => Figures(evaluation, segment.Dimension, segment.Name, segment.Figures)))));

    public static void WriteCalibration(string path, TrackRecordUpdated record) => Write(path,
        ["scorer", "model_version", "population", "bin_from", "bin_to", "scores", "mean_predicted", "observed_loss_rate"],
        record.Evaluations.SelectMany(e => e.Figures.Calibration.Select(bin => new[]
        {
            e.Scorer, e.ModelVersion ?? "", e.Population, N(bin.From), N(bin.To), N(bin.Count), N(bin.MeanPredicted), N(bin.ObservedLossRate),
        })));

    public static void WriteLeadTimes(string path, TrackRecordUpdated record) => Write(path,
        ["scorer", "model_version", "population", "days_before_loss", "lost_deals"],
        record.Evaluations.SelectMany(e => e.Figures.LeadTimes.Select(l => new[]
        {
            e.Scorer, e.ModelVersion ?? "", e.Population, N(l.Days), N(l.LostDeals),
        })));

    public static void WriteDrift(string path, TrackRecordUpdated record) => Write(path,
        ["feature", "importance", "psi", "state", "as_of"],
        record.Drift.Select(d => new[] { d.Feature, N(d.Importance), N(d.Psi), d.State, record.DriftAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "" }));

    private static string[] Figures(ScorerEvaluation evaluation, string dimension, string segment, TrackRecordFigures f) =>
    [
        evaluation.Scorer, evaluation.ModelVersion ?? "", evaluation.Population, dimension, segment, N(f.Deals), N(f.LostDeals), N(f.Scores),
        N(f.RocAuc), N(f.PrAuc), N(f.High.Flagged), N(f.High.FlaggedLost), N(f.High.Precision), N(f.Critical.Flagged), N(f.Critical.FlaggedLost),
        N(f.Critical.Precision), N(LeadTimeDistribution.LostDeals(f.LeadTimes)), N(LeadTimeDistribution.Quantile(f.LeadTimes, 0.25)),
        N(LeadTimeDistribution.Quantile(f.LeadTimes, 0.5)), N(LeadTimeDistribution.Quantile(f.LeadTimes, 0.75)),
    ];

    private static void Write(string path, IReadOnlyList<string> columns, IEnumerable<string[]> rows)
    {
        using var csv = CsvWriter.ToFile(path, new CsvWriterOptions { Injection = CsvInjection.Escape });
        foreach (var column in columns) csv.WriteField(column);
        csv.EndRecord();
        foreach (var row in rows)
        {
            foreach (var cell in row) csv.WriteField(CsvCell.SingleLine(cell));
            csv.EndRecord();
        }
    }

    private static string N(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
