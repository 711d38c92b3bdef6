using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The risk report CSV, one row per open deal. Text from the CRM is untrusted: cells that a spreadsheet would
/// run as a formula are escaped and line breaks become spaces, so opening the report in Excel or Tableau never runs anything.
/// </summary>
public sealed class RiskReportCsv : IAsyncDisposable
{
    public static readonly string[] Columns =
    [
        "deal_id", "source", "name", "account", "owner", "acv", "currency", "stage", "days_in_stage",
        "score", "level", "scorer", "model_version", "top_reasons", "action", "data_quality_flag", "missing_fields",
        "previous_score", "score_delta", "top_change",
    ];

    private readonly CsvWriter _csv;
    private readonly CsvCells _cells;

    public RiskReportCsv(string path)
    {
        _csv = CsvWriter.Create(WriteBehindFile.Create(path), new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: false);
        _cells = new CsvCells(_csv);
        foreach (var column in Columns) _csv.WriteField(column);
        _csv.EndRecord();
    }

    public void Write(DealRiskScore score) => Write(ReportRow.Of(score));

    public void Write(in ReportRow row)
    {
        _cells.Text(row.ExternalId);
        _cells.Text(row.Source);
        _cells.Text(row.Name);
        _cells.Text(row.Account);
        _cells.Text(row.Owner);
        if (row.Amount is { } amount) _cells.Number(amount, "0.##");
        else _cells.Text("");
        _cells.Text(row.Currency);
        _cells.Text(row.Stage);
        if (row.DaysInStage is { } days) _cells.Number(days);
        else _cells.Text("");
        _cells.Number(row.Score);
        _cells.Text(row.Level);
        _cells.Text(row.Scorer);
        _cells.Text(row.ModelVersion);
        _cells.Reasons(row);
        _cells.Text(row.Action);
        _cells.Text(row.DataQualityFlag ? "true" : "false");
        _cells.Text(row.MissingFields);
        if (row.Movement is { } movement)
        {
            _cells.Number(movement.PreviousScore);
            _cells.Number(movement.Delta);
            _cells.Text(movement.TopChange());
        }
        else
        {
            _cells.Text("");
            _cells.Text("");
            _cells.Text("");
        }
        _csv.EndRecord();
    }

    public ValueTask DisposeAsync() => _csv.DisposeAsync();
}

/// <summary>
/// Writes report cells without a string per cell: numbers formatted into a buffer, reasons joined into one; every
/// cell goes through the same text path (<see cref="CsvCell.SingleLine(ReadOnlySpan{char})"/>, formula escaping).
/// </summary>
internal sealed class CsvCells(CsvWriter csv)
{
    private char[] _buffer = new char[256];

    public void Text(string? value) => csv.WriteField(CsvCell.SingleLine(value.AsSpan()));

    public void Number<T>(T value, string? format = null) where T : ISpanFormattable
    {
        int written;
        while (!value.TryFormat(_buffer, out written, format, CultureInfo.InvariantCulture))
            Array.Resize(ref _buffer, _buffer.Length * 2);
        csv.WriteField(_buffer.AsSpan(0, written));
    }

    /// <summary>The row's reasons joined by "; ".</summary>
    public void Reasons(in ReportRow row)
    {
        var length = 0;
        for (var k = 0; k < row.ReasonCount; k++)
        {
            if (k > 0) Append("; ", ref length);
            Append(row.Reason(k), ref length);
        }
        csv.WriteField(CsvCell.SingleLine(_buffer.AsSpan(0, length)));
    }

    private void Append(ReadOnlySpan<char> text, ref int length)
    {
        if (length + text.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, length + text.Length));
        text.CopyTo(_buffer.AsSpan(length));
        length += text.Length;
    }
}
