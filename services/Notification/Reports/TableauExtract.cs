using System.Globalization;
using System.Text;
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

    /// <summary>How every file of the union is written: cells a spreadsheet would run as a formula are escaped.</summary>
    internal static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    /// <summary>As <see cref="Options"/>, for formatting parts of records: every record written to the file has all the columns.</summary>
    private static readonly CsvWriterOptions PartOptions = new() { Injection = CsvInjection.Escape, ValidateFieldCount = false };

    private readonly string _directory;
    private readonly string _path;
    private readonly string _temporary;
    private readonly string _day;
    private readonly WriteBehindFile _file;
    private readonly DealRecords _records;

    public TableauExtract(string outputDirectory, DateOnly asOf)
    {
        _directory = Path.Combine(outputDirectory, Directory);
        System.IO.Directory.CreateDirectory(_directory);
        _day = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _path = Path.Combine(_directory, FileName(_day));
        // Hidden and not *.csv, so a wildcard union never picks up a day being written.
        _temporary = Path.Combine(_directory, $".{FileName(_day)}.{Guid.NewGuid():N}.tmp");
        _file = WriteBehindFile.Create(_temporary);
        _records = new DealRecords(_file);
    }

    public static string FileName(DateOnly day) => FileName(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    internal static string FileName(string day) => $"deal-risk-daily-{day}.csv";

    /// <summary>A day file with its header; every file of the union has the same one.</summary>
    internal static CsvWriter OpenDayFile(string path)
    {
        var csv = CsvWriter.ToFile(path, Options, FileOptions.SequentialScan);
        WriteHeader(csv);
        return csv;
    }

    private static void WriteHeader(CsvWriter csv)
    {
        foreach (var column in Columns) csv.WriteField(column);
        csv.EndRecord();
    }

    public void Write(DealRiskScore score) => Write(ReportRow.Of(score));

    /// <summary>The deal's four rows, one per metric: its dimensions are formatted once and written before each.</summary>
    public void Write(in ReportRow row)
    {
        var cells = _records.Cells;
        Dimensions(cells, row);
        _records.EndDimensions();
        cells.Text("risk_score");
        cells.Number(row.Score);
        _records.EndMetric();
        cells.Text("acv");
        if (row.Amount is { } amount) cells.Number(amount, "0.##");
        else cells.Text("");
        _records.EndMetric();
        cells.Text("days_in_stage");
        if (row.DaysInStage is { } days) cells.Number(days);
        else cells.Text("");
        _records.EndMetric();
        cells.Text("data_quality_flag");
        cells.Text(row.DataQualityFlag ? "1" : "0");
        _records.EndMetric();
        _records.WriteDeal();
    }

    /// <summary>Puts the day's file in place (after splitting a cumulative extract of an earlier version, once).</summary>
    /// <returns>What the split of an earlier cumulative extract did; null when there was none.</returns>
    public async Task<CumulativeExtractSplit.Result?> CommitAsync(CancellationToken cancellationToken)
    {
        await _records.DisposeAsync();
        await _file.DisposeAsync();
        var split = CumulativeExtractSplit.Run(_directory, cancellationToken);
        File.Move(_temporary, _path, overwrite: true);
        return split;
    }

    private void Dimensions(CsvCells cells, in ReportRow row)
    {
        cells.Text(_day);
        cells.Text(row.ExternalId);
        cells.Text(row.Source);
        cells.Text(row.Name);
        cells.Text(row.Account);
        cells.Text(row.Owner);
        cells.Text(row.Industry);
        cells.Text(row.Region);
        cells.Text(row.Stage);
        cells.Text(row.Level);
        cells.Text(row.Scorer);
        cells.Text(row.ModelVersion);
    }

    public async ValueTask DisposeAsync()
    {
        await _records.DisposeAsync();
        await _file.DisposeAsync();
        if (File.Exists(_temporary))
            File.Delete(_temporary);
    }

    /// <summary>
    /// Formats a deal's records with CsvHelper into memory (the dimensions as one record, then each metric's two cells as
    /// one) and writes each metric's record to the day file as the dimensions' cells, a separator and the metric's cells:
    /// the same bytes as writing every cell of every record, for about a third of the formatting.
    /// </summary>
    private sealed class DealRecords : IAsyncDisposable
    {
        private readonly Stream _file;
        private readonly MemoryStream _formatted = new();
        private readonly CsvWriter _csv;
        private readonly byte[] _separator;
        private readonly byte[] _newLine;
        private readonly List<int> _metricEnds = new(Metrics.Length);
        private int _dimensionsEnd;

        public DealRecords(Stream file)
        {
            _file = file;
            _csv = CsvWriter.Create(_formatted, PartOptions, leaveOpen: true);
            Cells = new CsvCells(_csv);
            _separator = Encoding.UTF8.GetBytes(_csv.Options.Separator.ToString());
            _newLine = Encoding.UTF8.GetBytes(_csv.Options.NewLine);
            WriteHeader(_csv);
            _csv.Flush();
            _file.Write(_formatted.GetBuffer().AsSpan(0, (int)_formatted.Length));
            _formatted.SetLength(0);
        }

        public CsvCells Cells { get; }

        public void EndDimensions() => _dimensionsEnd = EndRecord();

        public void EndMetric() => _metricEnds.Add(EndRecord());

        public void WriteDeal()
        {
            var formatted = _formatted.GetBuffer().AsSpan(0, (int)_formatted.Length);
            if (!formatted[.._dimensionsEnd].EndsWith(_newLine))
                throw new InvalidOperationException("A Tableau extract record did not end with the writer's line ending.");
            var dimensions = formatted[..(_dimensionsEnd - _newLine.Length)];
            var start = _dimensionsEnd;
            foreach (var end in _metricEnds)
            {
                _file.Write(dimensions);
                _file.Write(_separator);
                _file.Write(formatted[start..end]);
                start = end;
            }
            _metricEnds.Clear();
            _formatted.SetLength(0);
        }

        public ValueTask DisposeAsync() => _csv.DisposeAsync();

        private int EndRecord()
        {
            _csv.EndRecord();
            _csv.Flush();
            return (int)_formatted.Length;
        }
    }
}
