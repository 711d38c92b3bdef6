using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Sla;
using DealRisk.ServiceDefaults;

namespace DealRisk.Notification;

/// <summary>What the notification service adds to the domain metrics: batches, report lateness, the outbox.</summary>
public static class NotificationMetrics
{
    private static readonly HashSet<string> ChannelsSeen = new(StringComparer.Ordinal);

    /// <summary>Duration from the batch's manifest (ingestion has published every chunk) to its report; lateness only for today's report.</summary>
    public static void BatchReported(DailyBatchSynced batch, DailyReportPublished published, ReportDeadline deadline)
    {
        var seconds = Math.Max(0, (published.PublishedAt - batch.SyncedAt).TotalSeconds);
        DealRiskMetrics.BatchDuration.Record(seconds, Tag("trigger", batch.Trigger));
        if (seconds > 0)
            DealRiskMetrics.BatchThroughput.Record(published.OpenDeals / seconds, Tag("trigger", batch.Trigger));
        if (deadline.DayAt(published.PublishedAt) == batch.AsOf)
            DealRiskMetrics.ReportLateness.Record(Math.Max(0, (published.PublishedAt - deadline.DueFor(batch.AsOf)).TotalSeconds));
    }

    public static void Delivered(IEnumerable<OutboxMessage> messages, DateTimeOffset sentAt)
    {
        foreach (var message in messages)
            DealRiskMetrics.OutboxDeliveryLatency.Record(Math.Max(0, (sentAt - message.CreatedAt).TotalSeconds), Tag("channel", message.Destination));
    }

    /// <summary>Pending messages per channel; a channel that emptied reports 0 rather than its last depth.</summary>
    public static void Depth(IReadOnlyCollection<OutboxMessage> pending)
    {
        var depths = pending.GroupBy(m => m.Destination).ToDictionary(g => g.Key, g => g.Count());
        lock (ChannelsSeen)
        {
            ChannelsSeen.UnionWith(depths.Keys);
            foreach (var channel in ChannelsSeen)
                DealRiskMetrics.OutboxDepth.Record(depths.GetValueOrDefault(channel), Tag("channel", channel));
        }
    }

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
