using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using DealRisk.Notification.TrackRecord;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Reports;

/// <summary>
/// Writes a completed batch's report to <c>results/&lt;as-of&gt;/</c>: the risk report CSV streamed chunk by chunk
/// (a million deals never sit in memory at once), the day's rows of the Tableau extract, the executive summary
/// built along the way in Markdown and HTML, the served model's feature-importance plot and the latest track record. Every part reads the
/// deals' <see cref="CurrentRisk"/> as of the report's day, so the summary and the dashboard agree.
/// </summary>
public sealed class DailyReportWriter(NotificationStore store, CurrentRisk currentRisk, IOptions<ReportOptions> options)
{
    public const string RiskReportFile = "risk-report.csv";
    public const string ExecutiveSummaryFile = "executive-summary.md";
    public const string ExecutiveSummaryHtmlFile = "executive-summary.html";

    public async Task<WrittenReport> WriteAsync(DailyBatchSynced batch, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(Path.Combine(options.Value.OutputDirectory, batch.AsOf.ToString("yyyy-MM-dd")));
        Directory.CreateDirectory(directory);

        var accumulator = new ReportAccumulator(batch.AsOf);
        await using (var csv = new RiskReportCsv(Path.Combine(directory, RiskReportFile)))
        await using (var tableau = new TableauExtract(options.Value.OutputDirectory, batch.AsOf))
        {
            await foreach (var score in currentRisk.OpenDealsAsync(batch, CurrentRisk.BatchInstant(batch.AsOf), cancellationToken, onBatchChunk: scored => accumulator.AddScoredBy(scored.ScoredBy)))
            {
                csv.Write(score);
                tableau.Write(score);
                accumulator.Add(score);
            }
            await tableau.CommitAsync(cancellationToken);
        }

        var summary = accumulator.Build(batch.DataAsOf);
        var context = new ReportContext(
            await store.DailyHistory.GetAsync(DailyRiskPoint.Key(batch.AsOf.AddDays(-1)), cancellationToken),
            await store.ModelStatus.GetAsync(ModelStatus.CurrentId, cancellationToken));
        FeatureImportancePlot.TryWrite(context.Model, directory);
        if (await store.TrackRecord.GetAsync(TrackRecordEndpoints.LatestId, cancellationToken) is { } trackRecord)
            await TrackRecordFiles.WriteAsync(directory, trackRecord, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ExecutiveSummaryFile), ExecutiveSummary.ToMarkdown(summary, context), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ExecutiveSummaryHtmlFile), ExecutiveSummaryHtml.ToHtml(summary, context), cancellationToken);
        return new WrittenReport(directory, summary, context);
    }
}

public sealed record WrittenReport(string Directory, ReportSummary Summary, ReportContext Context);
