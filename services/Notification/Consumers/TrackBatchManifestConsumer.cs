using DealRisk.Contracts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Storage;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>Records how many scored chunks a batch will have; a batch with no open deals completes right here.</summary>
public sealed class TrackBatchManifestConsumer(NotificationStore store, BatchReportCompletion completion) : IConsumer<DailyBatchSynced>
{
    public async Task Consume(ConsumeContext<DailyBatchSynced> context)
    {
        await store.Batches.UpsertAsync(context.Message.BatchId.ToString("N"), context.Message, context.CancellationToken);
        if (await completion.TryCompleteAsync(context.Message.BatchId, context.CancellationToken) is { } report)
            await context.Publish(report, context.CancellationToken);
    }
}
