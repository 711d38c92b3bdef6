using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The long-format extract Tableau connects to as it is: <c>results/tableau/deal-risk-daily.csv</c>, one row per
/// (day, deal, metric), appended every day. Writing a day again replaces that day's records (read as CSV, never
/// as lines, so a quoted line break in an older file cannot split a record), so a rerun never duplicates them. The columns are a stable contract (README, "Tableau extract"): add, never rename or reorder.
/// </summary>
public sealed class TableauExtract : IAsyncDisposable
{
    public const string Directory = "tableau";
    public const string FileName = "deal-risk-daily.csv";

    public static readonly string[] Columns =
    [
        "as_of_date", "deal_id", "source", "deal_name", "account", "owner", "segment", "region", "stage",
        "risk_level", "scorer", "model_version", "metric", "value",
    ];

    public static readonly string[] Metrics = ["risk_score", "acv", "days_in_stage", "data_quality_flag"];

    private readonly string _path;
    private readonly string _dayFile;
    private readonly string _day;
    private readonly CsvWriter _csv;

    public TableauExtract(string outputDirectory, DateOnly asOf)
    {
        var directory = Path.Combine(outputDirectory, Directory);
        System.IO.Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        _day = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _dayFile = Path.Combine(directory, $".{_day}.rows.tmp");
        _csv = CsvWriter.ToFile(_dayFile, new CsvWriterOptions { Injection = CsvInjection.Escape }, FileOptions.SequentialScan);
    }

    public void Write(DealRiskScore score)
    {
        var deal = score.Deal;
        Row(score, "risk_score", score.Score.ToString(CultureInfo.InvariantCulture));
        Row(score, "acv", deal.Amount?.ToString("0.##", CultureInfo.InvariantCulture) ?? "");
        Row(score, "days_in_stage", deal.DaysInStage?.ToString(CultureInfo.InvariantCulture) ?? "");
        Row(score, "data_quality_flag", deal.DataQualityFlag ? "1" : "0");
    }

    /// <summary>Replaces the day's records in the extract with the ones just written.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _csv.DisposeAsync();
        var merged = _path + ".tmp";
        using (var output = CsvWriter.ToFile(merged, new CsvWriterOptions { Injection = CsvInjection.Escape }, FileOptions.SequentialScan))
        {
            foreach (var column in Columns) output.WriteField(column);
            output.EndRecord();
            if (File.Exists(_path))
                CopyRecords(_path, output, keep: record => record[0] != _day, cancellationToken);
            CopyRecords(_dayFile, output, keep: _ => true, cancellationToken, hasHeader: false);
        }
        File.Move(merged, _path, overwrite: true);
        File.Delete(_dayFile);
    }

    private static void CopyRecords(string path, CsvWriter output, Func<string[], bool> keep, CancellationToken cancellationToken, bool hasHeader = true)
    {
        using var input = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = hasHeader });
        var record = new string[Columns.Length];
        while (input.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < record.Length; i++)
                record[i] = i < input.FieldCount ? input.GetString(i) : "";
            if (!keep(record))
                continue;
            foreach (var field in record)
                output.WriteField(CsvCell.SingleLine(field));
            output.EndRecord();
        }
    }

    private void Row(DealRiskScore score, string metric, string value)
    {
        var deal = score.Deal;
        Field(_day);
        Field(deal.ExternalId);
        Field(deal.Source);
        Field(deal.Name ?? "");
        Field(deal.Account ?? "");
        Field(deal.Owner ?? "");
        Field(deal.Industry ?? "");
        Field(deal.Region ?? "");
        Field(deal.Stage);
        Field(score.Level);
        Field(score.Scorer);
        Field(score.ModelVersion ?? "");
        Field(metric);
        Field(value);
        _csv.EndRecord();
    }

    private void Field(string? value) => _csv.WriteField(CsvCell.SingleLine(value));

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        if (File.Exists(_dayFile))
            File.Delete(_dayFile);
    }
}
