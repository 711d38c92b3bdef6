using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Storage;
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
public sealed class DailyReportWriter(NotificationStore store, CurrentRisk currentRisk, IOptions<ReportOptions> options, ILogger<DailyReportWriter> logger)
{
    public const string RiskReportFile = "risk-report.csv";
    public const string ExecutiveSummaryFile = "executive-summary.md";
    public const string ExecutiveSummaryHtmlFile = "executive-summary.html";

    public async Task<WrittenReport> WriteAsync(DailyBatchSynced batch, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(Path.Combine(options.Value.OutputDirectory, batch.AsOf.ToString("yyyy-MM-dd")));
        Directory.CreateDirectory(directory);

        var clock = Stopwatch.StartNew();
        var accumulator = new ReportAccumulator(batch.AsOf);
        var rows = 0;
        await using (var csv = new RiskReportCsv(Path.Combine(directory, RiskReportFile)))
        await using (var tableau = new TableauExtract(options.Value.OutputDirectory, batch.AsOf))
        {
            // The extract's rows of a chunk are written beside the report's rows and the summary of the same chunk.
            var extractRows = Task.CompletedTask;
            try
            {
                await foreach (var chunk in currentRisk.OpenDealsAsync(batch, CurrentRisk.BatchInstant(batch.AsOf), cancellationToken, onBatchChunk: scored => accumulator.AddScoredBy(scored.ScoredBy)))
                {
                    await extractRows;
                    extractRows = CallerScheduler.Run(() => WriteAll(tableau, chunk), cancellationToken);
                    foreach (var row in chunk)
                    {
                        csv.Write(row);
                        accumulator.Add(row);
                    }
                    rows += chunk.Length;
                }
                await extractRows;
            }
            catch
            {
                // Never dispose the extract while its rows are being written.
                await Task.WhenAny(extractRows);
                throw;
            }
            if (await tableau.CommitAsync(cancellationToken) is { } split)
                logger.LogInformation("The cumulative Tableau extract was split into {Days} day files ({Records} records; {Unreadable} without a readable day stay only in {Migrated})",
                    split.Days, split.Records, split.Unreadable, CumulativeExtractSplit.MigratedFileName);
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
        var seconds = clock.Elapsed.TotalSeconds;
        DealRiskMetrics.ReportWriteDuration.Record(seconds);
        logger.LogInformation("Report for {AsOf} written in {Seconds:0.00} s ({Deals} open deals)", batch.AsOf, seconds, rows);
        return new WrittenReport(directory, summary, context);
    }

    private static void WriteAll(TableauExtract tableau, ReportRow[] rows)
    {
        foreach (var row in rows)
            tableau.Write(row);
    }
}

public sealed record WrittenReport(string Directory, ReportSummary Summary, ReportContext Context);
