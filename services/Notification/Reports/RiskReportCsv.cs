using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;
using DealRisk.Notification.Movers;

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

    public RiskReportCsv(string path)
    {
        _csv = CsvWriter.ToFile(path, new CsvWriterOptions { Injection = CsvInjection.Escape }, FileOptions.SequentialScan);
        foreach (var column in Columns) _csv.WriteField(column);
        _csv.EndRecord();
    }

    public void Write(DealRiskScore score)
    {
        var deal = score.Deal;
        Field(deal.ExternalId);
        Field(deal.Source);
        Field(deal.Name ?? "");
        Field(deal.Account ?? "");
        Field(deal.Owner ?? "");
        Field(deal.Amount?.ToString("0.##", CultureInfo.InvariantCulture) ?? "");
        Field(deal.Currency);
        Field(deal.Stage);
        Field(deal.DaysInStage?.ToString(CultureInfo.InvariantCulture) ?? "");
        Field(score.Score.ToString(CultureInfo.InvariantCulture));
        Field(score.Level);
        Field(score.Scorer);
        Field(score.ModelVersion ?? "");
        Field(string.Join("; ", score.Reasons));
        Field(score.Action);
        Field(deal.DataQualityFlag ? "true" : "false");
        Field(string.Join(" ", deal.MissingFields));
        Field(score.Movement?.PreviousScore.ToString(CultureInfo.InvariantCulture) ?? "");
        Field(score.Movement?.Delta.ToString(CultureInfo.InvariantCulture) ?? "");
        Field(MovementText.TopChange(score.Movement));
        _csv.EndRecord();
    }

    private void Field(string? value) => _csv.WriteField(CsvCell.SingleLine(value));

    public ValueTask DisposeAsync() => _csv.DisposeAsync();
}
