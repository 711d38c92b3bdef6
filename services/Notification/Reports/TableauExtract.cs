using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The long-format extract Tableau connects to as it is: <c>results/tableau/deal-risk-daily.csv</c>, one row per
/// (day, deal, metric), appended every day. Writing a day again replaces that day's rows, so a rerun never
/// duplicates them. The columns are a stable contract (README, "Tableau extract"): add, never rename or reorder.
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

    /// <summary>Replaces the day's rows in the extract with the ones just written.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _csv.DisposeAsync();
        var merged = _path + ".tmp";
        await using (var output = new StreamWriter(merged, append: false))
        {
            var header = string.Join(",", Columns);
            await output.WriteLineAsync(header);
            if (File.Exists(_path))
            {
                var dayPrefix = _day + ",";
                await foreach (var line in File.ReadLinesAsync(_path, cancellationToken))
                {
                    if (line != header && !line.StartsWith(dayPrefix, StringComparison.Ordinal))
                        await output.WriteLineAsync(line);
                }
            }
            await foreach (var line in File.ReadLinesAsync(_dayFile, cancellationToken))
                await output.WriteLineAsync(line);
        }
        File.Move(merged, _path, overwrite: true);
        File.Delete(_dayFile);
    }

    private void Row(DealRiskScore score, string metric, string value)
    {
        var deal = score.Deal;
        _csv.WriteField(_day);
        _csv.WriteField(deal.ExternalId);
        _csv.WriteField(deal.Source);
        _csv.WriteField(deal.Name ?? "");
        _csv.WriteField(deal.Account ?? "");
        _csv.WriteField(deal.Owner ?? "");
        _csv.WriteField(deal.Industry ?? "");
        _csv.WriteField(deal.Region ?? "");
        _csv.WriteField(deal.Stage);
        _csv.WriteField(score.Level);
        _csv.WriteField(score.Scorer);
        _csv.WriteField(score.ModelVersion ?? "");
        _csv.WriteField(metric);
        _csv.WriteField(value);
        _csv.EndRecord();
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        if (File.Exists(_dayFile))
            File.Delete(_dayFile);
    }
}
