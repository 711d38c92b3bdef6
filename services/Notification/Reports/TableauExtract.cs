using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The long-format extract Tableau connects to as a wildcard union of text files: <c>results/tableau/deal-risk-daily-&lt;yyyy-MM-dd&gt;.csv</c>,
/// one file per reported day with one row per (deal, metric). A day's batch writes only its own file (so its cost does
/// not grow with the days kept), to a temporary file moved into place, so Tableau never reads half a day and a re-run of
/// the day replaces it. The columns are a stable contract (README, "Tableau extract"): add, never rename or reorder.
/// </summary>
public sealed class TableauExtract : IAsyncDisposable
{
    public const string Directory = "tableau";
    public const string FilePattern = "deal-risk-daily-*.csv";

    public static readonly string[] Columns =
    [
        "as_of_date", "deal_id", "source", "deal_name", "account", "owner", "segment", "region", "stage",
        "risk_level", "scorer", "model_version", "metric", "value",
    ];

    public static readonly string[] Metrics = ["risk_score", "acv", "days_in_stage", "data_quality_flag"];

    private readonly string _directory;
    private readonly string _path;
    private readonly string _temporary;
    private readonly string _day;
    private readonly CsvWriter _csv;
    private readonly CsvCells _cells;

    public TableauExtract(string outputDirectory, DateOnly asOf)
    {
        _directory = Path.Combine(outputDirectory, Directory);
        System.IO.Directory.CreateDirectory(_directory);
        _day = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _path = Path.Combine(_directory, FileName(_day));
        // Hidden and not *.csv, so a wildcard union never picks up a day being written.
        _temporary = Path.Combine(_directory, $".{FileName(_day)}.{Guid.NewGuid():N}.tmp");
        _csv = OpenDayFile(_temporary);
        _cells = new CsvCells(_csv);
    }

    public static string FileName(DateOnly day) => FileName(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    internal static string FileName(string day) => $"deal-risk-daily-{day}.csv";

    /// <summary>A day file with its header; every file of the union has the same one.</summary>
    internal static CsvWriter OpenDayFile(string path)
    {
        var csv = CsvWriter.ToFile(path, new CsvWriterOptions { Injection = CsvInjection.Escape }, FileOptions.SequentialScan);
        foreach (var column in Columns) csv.WriteField(column);
        csv.EndRecord();
        return csv;
    }

    public void Write(DealRiskScore score) => Write(ReportRow.Of(score));

    /// <summary>The deal's four rows, one per metric.</summary>
    public void Write(in ReportRow row)
    {
        Dimensions(row);
        _cells.Text("risk_score");
        _cells.Number(row.Score);
        _csv.EndRecord();
        Dimensions(row);
        _cells.Text("acv");
        if (row.Amount is { } amount) _cells.Number(amount, "0.##");
        else _cells.Text("");
        _csv.EndRecord();
        Dimensions(row);
        _cells.Text("days_in_stage");
        if (row.DaysInStage is { } days) _cells.Number(days);
        else _cells.Text("");
        _csv.EndRecord();
        Dimensions(row);
        _cells.Text("data_quality_flag");
        _cells.Text(row.DataQualityFlag ? "1" : "0");
        _csv.EndRecord();
    }

    /// <summary>Puts the day's file in place (after splitting a cumulative extract of an earlier version, once).</summary>
    /// <returns>What the split of an earlier cumulative extract did; null when there was none.</returns>
    public async Task<CumulativeExtractSplit.Result?> CommitAsync(CancellationToken cancellationToken)
    {
        await _csv.DisposeAsync();
        var split = CumulativeExtractSplit.Run(_directory, cancellationToken);
        File.Move(_temporary, _path, overwrite: true);
        return split;
    }

    private void Dimensions(in ReportRow row)
    {
        _cells.Text(_day);
        _cells.Text(row.ExternalId);
        _cells.Text(row.Source);
        _cells.Text(row.Name);
        _cells.Text(row.Account);
        _cells.Text(row.Owner);
        _cells.Text(row.Industry);
        _cells.Text(row.Region);
        _cells.Text(row.Stage);
        _cells.Text(row.Level);
        _cells.Text(row.Scorer);
        _cells.Text(row.ModelVersion);
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        if (File.Exists(_temporary))
            File.Delete(_temporary);
    }
}
