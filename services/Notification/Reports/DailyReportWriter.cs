using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Reports;

/// <summary>
/// Writes a completed batch's report to <c>results/&lt;as-of&gt;/</c>: the risk report CSV streamed chunk by chunk
/// (a million deals never sit in memory at once) and the executive summary built along the way.
/// </summary>
public sealed class DailyReportWriter(NotificationStore store, IOptions<ReportOptions> options)
{
    public const string RiskReportFile = "risk-report.csv";
    public const string ExecutiveSummaryFile = "executive-summary.md";

    public async Task<(string Directory, ReportSummary Summary)> WriteAsync(DailyBatchSynced batch, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(Path.Combine(options.Value.OutputDirectory, batch.AsOf.ToString("yyyy-MM-dd")));
        Directory.CreateDirectory(directory);

        var accumulator = new ReportAccumulator(batch.AsOf);
        var chunks = new List<int>();
        await using (var csv = new RiskReportCsv(Path.Combine(directory, RiskReportFile)))
        {
            await foreach (var chunk in store.ScoredChunks.FindAsync("batchId", batch.BatchId, cancellationToken))
            {
                foreach (var score in chunk.Scored.Scores)
                {
                    csv.Write(score);
                    accumulator.Add(score);
                }
            }
        }

        var summary = accumulator.Build(batch.DataAsOf);
        await File.WriteAllTextAsync(Path.Combine(directory, ExecutiveSummaryFile), ExecutiveSummary.ToMarkdown(summary), cancellationToken);
        return (directory, summary);
    }
}
