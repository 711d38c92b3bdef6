using DealRisk.Contracts;
using DealRisk.Notification.Alerts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Storage;
using DealRisk.ScoreHistory;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>
/// Scores arriving: a batch chunk is stored (once) toward the day's report; a single rescored deal updates the
/// deal's latest risk and alerts when it turned critical. Either may complete a batch. Every score goes into the
/// deal's history first, for the dashboard's deal page.
/// </summary>
public sealed class CollectScoredChunkConsumer(NotificationStore store, BatchReportCompletion completion, CriticalDealEscalation escalation, IScoreHistory history)
    : IConsumer<DealScored>
{
    public async Task Consume(ConsumeContext<DealScored> context)
    {
        var scored = context.Message;
        await history.RecordAsync(scored, context.CancellationToken);
        if (scored.Batch is not { } batch)
        {
            foreach (var alert in await escalation.TrackAsync(scored, context.CancellationToken))
                await context.Publish(alert, context.CancellationToken);
            return;
        }

        await store.ScoredChunks.InsertIfAbsentAsync(
            NotificationStore.ChunkId(batch),
            new ScoredChunk { BatchId = batch.BatchId, Scored = scored },
            context.CancellationToken);
        if (await completion.TryCompleteAsync(batch.BatchId, context.CancellationToken) is { } report)
            await context.Publish(report, context.CancellationToken);
    }
}

public sealed class CollectScoredChunkConsumerDefinition : ConsumerDefinition<CollectScoredChunkConsumer>
{
    public CollectScoredChunkConsumerDefinition() => ConcurrentMessageLimit = 2;
}
