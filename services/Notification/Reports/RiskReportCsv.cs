using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The risk report CSV, one row per open deal. Text from the CRM is untrusted: cells that a spreadsheet would
/// run as a formula are escaped, so opening the report in Excel or Tableau never runs anything.
/// </summary>
public sealed class RiskReportCsv : IAsyncDisposable
{
    public static readonly string[] Columns =
    [
        "deal_id", "source", "name", "account", "owner", "acv", "currency", "stage", "days_in_stage",
        "score", "level", "scorer", "model_version", "top_reasons", "action", "data_quality_flag", "missing_fields",
    ];

    private readonly CsvWriter _csv;

    public RiskReportCsv(string path)
    {
        _csv = CsvWriter.ToFile(path, new CsvWriterOptions { Injection = CsvInjection.Escape }, FileOptions.SequentialScan);
        foreach (var column in Columns) _csv.WriteField(column);
        _csv.EndRecord();
    }

    public void Write(DealRiskScore score)
    {
        var deal = score.Deal;
        _csv.WriteField(deal.ExternalId);
        _csv.WriteField(deal.Source);
        _csv.WriteField(deal.Name ?? "");
        _csv.WriteField(deal.Account ?? "");
        _csv.WriteField(deal.Owner ?? "");
        _csv.WriteField(deal.Amount?.ToString("0.##", CultureInfo.InvariantCulture) ?? "");
        _csv.WriteField(deal.Currency);
        _csv.WriteField(deal.Stage);
        _csv.WriteField(deal.DaysInStage?.ToString(CultureInfo.InvariantCulture) ?? "");
        _csv.WriteField(score.Score.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(score.Level);
        _csv.WriteField(score.Scorer);
        _csv.WriteField(score.ModelVersion ?? "");
        _csv.WriteField(string.Join("; ", score.Reasons));
        _csv.WriteField(score.Action);
        _csv.WriteField(deal.DataQualityFlag ? "true" : "false");
        _csv.WriteField(string.Join(" ", deal.MissingFields));
        _csv.EndRecord();
    }

    public ValueTask DisposeAsync() => _csv.DisposeAsync();
}
