using System.Text.Json;
using DealRisk.Contracts;

namespace DealRisk.Notification.TrackRecord;

/// <summary>Writes the track record into a day's report folder: the figures as JSON and CSV, the charts as SVG.</summary>
public static class TrackRecordFiles
{
    public const string JsonFile = "track-record.json";
    public const string FiguresFile = "track-record.csv";
    public const string CalibrationFile = "track-record-calibration.csv";
    public const string LeadTimesFile = "track-record-lead-times.csv";
    public const string DriftFile = "track-record-drift.csv";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string ReliabilityFile(string population) => $"track-record-reliability-{population}.svg";

    public static string LeadTimeFile(string population) => $"track-record-lead-time-{population}.svg";

    public static async Task WriteAsync(string directory, TrackRecordUpdated record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(record, Json), cancellationToken);
        TrackRecordCsv.WriteFigures(Path.Combine(directory, FiguresFile), record);
        TrackRecordCsv.WriteCalibration(Path.Combine(directory, CalibrationFile), record);
        TrackRecordCsv.WriteLeadTimes(Path.Combine(directory, LeadTimesFile), record);
        TrackRecordCsv.WriteDrift(Path.Combine(directory, DriftFile), record);
        foreach (var population in record.Evaluations.Where(e => TrackRecordPage.Populations.Contains(e.Population)).GroupBy(e => e.Population))
        {
            var evaluations = population.ToList();
            var title = TrackRecordPage.PopulationTitle(population.Key);
            await File.WriteAllTextAsync(Path.Combine(directory, ReliabilityFile(population.Key)),
                TrackRecordCharts.Reliability($"reliability-{population.Key}", $"Reliability — {title}", evaluations), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, LeadTimeFile(population.Key)),
                TrackRecordCharts.LeadTimes($"lead-time-{population.Key}", $"Lead time before a loss — {title}", evaluations), cancellationToken);
        }
    }
}
