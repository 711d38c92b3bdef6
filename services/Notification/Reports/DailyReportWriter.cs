using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Reports;

/// <summary>
/// Writes a completed batch's report to <c>results/&lt;as-of&gt;/</c>: the risk report CSV streamed chunk by chunk
/// (a million deals never sit in memory at once), the day's rows of the Tableau extract, the executive summary
/// built along the way in Markdown and HTML, and the served model's feature-importance plot.
/// </summary>
public sealed class DailyReportWriter(NotificationStore store, IOptions<ReportOptions> options)
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
            // Chunk by chunk in index order, not in the order they arrived: with replicas that order varies, the report must not.
            for (var index = 0; index < batch.OpenChunkCount; index++)
            {
                var chunk = await store.ScoredChunks.GetAsync(NotificationStore.ChunkId(batch.BatchId, index), cancellationToken)
                    ?? throw new InvalidOperationException($"Scored chunk {index} of batch {batch.BatchId:N} is not stored.");
                foreach (var score in chunk.Scored.Scores)
                {
                    csv.Write(score);
                    tableau.Write(score);
                    accumulator.Add(score);
                }
            }
            await tableau.CommitAsync(cancellationToken);
        }

        var summary = accumulator.Build(batch.DataAsOf);
        var context = new ReportContext(
            await store.DailyHistory.GetAsync(DailyRiskPoint.Key(batch.AsOf.AddDays(-1)), cancellationToken),
            await store.ModelStatus.GetAsync(ModelStatus.CurrentId, cancellationToken));
        FeatureImportancePlot.TryWrite(context.Model, directory);
        await File.WriteAllTextAsync(Path.Combine(directory, ExecutiveSummaryFile), ExecutiveSummary.ToMarkdown(summary, context), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ExecutiveSummaryHtmlFile), ExecutiveSummaryHtml.ToHtml(summary, context), cancellationToken);
        return new WrittenReport(directory, summary, context);
    }
}

public sealed record WrittenReport(string Directory, ReportSummary Summary, ReportContext Context);
