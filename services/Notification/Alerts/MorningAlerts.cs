using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Alerts;

/// <summary>
/// Queues the morning's messages for a completed batch: the critical deals grouped in one alert, then the daily
/// summary (Slack and email). Ids are the batch's, so completing a batch again queues nothing new.
/// </summary>
public sealed class MorningAlerts(NotificationOutbox outbox, SlackBlocks blocks, NotificationStore store, IOptions<ReportOptions> options,
    ILogger<MorningAlerts> logger)
{
    /// <summary>Returns false when ingestion said the day's CRM data is unavailable: its readers got that notice instead.</summary>
    public async Task<bool> QueueAsync(Guid batchId, WrittenReport report, CancellationToken cancellationToken)
    {
        var summary = report.Summary;
        if (await store.Claims.GetAsync($"data-unavailable:{DailyRiskPoint.Key(summary.AsOf)}", cancellationToken) is not null)
        {
            logger.LogWarning("No alerts sent for {AsOf}: its CRM data was reported unavailable, the report would be stale", summary.AsOf);
            return false;
        }
        var group = $"batch:{batchId:N}";
        if (summary.CriticalDeals > 0)
        {
            var deals = summary.CriticalDealsToAlert.Take(options.Value.MaxDealsPerAlert).ToList();
            var message = blocks.CriticalDeals(deals, summary.CriticalDeals, SlackBlocks.Freshness(summary.DataAsOf, summary.Scorers));
            await outbox.EnqueueSlackAsync($"{MessageKinds.CriticalBatch}:{batchId:N}", MessageKinds.CriticalBatch, message, cancellationToken, RiskLevels.Critical,
                new OutboxSequence(group, 0));
        }

        var movement = report.Context.Movement(summary);
        await outbox.EnqueueSlackAsync($"{MessageKinds.DailySummary}:{batchId:N}", MessageKinds.DailySummary,
            SlackBlocks.DailySummary(summary, movement), cancellationToken, sequence: new OutboxSequence(group, 1));
        await outbox.EnqueueEmailAsync($"{MessageKinds.DailySummary}-email:{batchId:N}", MessageKinds.DailySummary, new EmailContent
        {
            Subject = $"Deal risk {summary.AsOf:yyyy-MM-dd}: {summary.Headline}",
            Html = ExecutiveSummaryHtml.ToHtml(summary, report.Context),
            PlainText = ExecutiveSummary.ToMarkdown(summary, report.Context),
        }, cancellationToken, new OutboxSequence(group, 1));
        return true;
    }
}
