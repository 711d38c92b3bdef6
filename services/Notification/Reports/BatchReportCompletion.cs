using DealRisk.Contracts;
using DealRisk.Notification.Alerts;
using DealRisk.Notification.Sla;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;
using DealRisk.ServiceDefaults;

namespace DealRisk.Notification.Reports;

/// <summary>
/// Knows when a batch is complete — its manifest is in and every scored chunk it announced is stored — and then,
/// exactly once, writes the report, queues the morning alerts and announces the report.
/// </summary>
public sealed class BatchReportCompletion(
    NotificationStore store,
    DailyReportWriter writer,
    MorningAlerts alerts,
    SpikeEscalation spikes,
    TimeProvider time,
    IOptions<SlaOptions> sla,
    BusinessTimeZone business,
    ILogger<BatchReportCompletion> logger)
{
    public async Task<DailyReportPublished?> TryCompleteAsync(Guid batchId, CancellationToken cancellationToken)
    {
        var batch = await store.Batches.GetAsync(batchId.ToString("N"), cancellationToken);
        if (batch is null)
            return null;
        var chunks = await store.ScoredChunks.CountAsync(batchId, cancellationToken);
        if (chunks < batch.OpenChunkCount)
            return null;
        var claim = $"report:{batchId:N}";
        if (!await store.Claims.InsertIfAbsentAsync(claim, new Marker { At = time.GetUtcNow() }, cancellationToken))
            return null;

        WrittenReport report;
        try
        {
            report = await writer.WriteAsync(batch, cancellationToken);
            if (await alerts.QueueAsync(batchId, report, cancellationToken))
                await spikes.CheckAsync(report.Summary, cancellationToken);
            await RememberAlertedCriticalDealsAsync(report.Summary, CurrentRisk.BatchInstant(batch.AsOf), cancellationToken);
        }
        catch
        {
            // A claim left behind would make every retry skip the batch: the day's report would never be written.
            await store.Claims.DeleteAsync(claim, CancellationToken.None);
            throw;
        }

        var summary = report.Summary;
        var published = new DailyReportPublished
        {
            BatchId = batchId,
            CorrelationId = batch.CorrelationId,
            AsOf = batch.AsOf,
            ReportDirectory = report.Directory,
            OpenDeals = summary.OpenDeals,
            HighRiskDeals = summary.HighRiskDeals,
            AcvAtRisk = summary.AcvAtRisk,
            CriticalDeals = summary.CriticalDeals,
            PublishedAt = time.GetUtcNow(),
            ScoredBy = summary.ScoredByLine,
        };
        await store.Reports.UpsertAsync(batchId.ToString("N"), published, cancellationToken);
        await store.DailyHistory.UpsertAsync(DailyRiskPoint.Key(batch.AsOf), new DailyRiskPoint
        {
            AsOf = batch.AsOf,
            OpenDeals = summary.OpenDeals,
            HighRiskDeals = summary.HighRiskDeals,
            CriticalDeals = summary.CriticalDeals,
            AcvAtRisk = summary.AcvAtRisk,
            PublishedAt = published.PublishedAt,
            DataAsOf = batch.DataAsOf,
            ScoredBy = published.ScoredBy,
        }, cancellationToken);
        NotificationMetrics.BatchReported(batch, published, sla.Value.Deadline(business));
        logger.LogInformation("Report for {AsOf} written to {Directory}: {Headline}", batch.AsOf, report.Directory, summary.Headline);
        return published;
    }

    /// <summary>The morning alert named these deals: a later rescore that keeps them critical is no new escalation.</summary>
    private async Task RememberAlertedCriticalDealsAsync(ReportSummary summary, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        foreach (var score in summary.CriticalDealsToAlert)
            await store.LatestRisk.UpsertIfNewerAsync(DealKey.Of(score.Deal), score.Deal.Version, new DealRiskAsOf { Score = score, AsOf = asOf }, cancellationToken);
    }
}
