using DealRisk.Contracts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Storage;
using DealRisk.ServiceDefaults;
using DealRisk.ServiceDefaults.BatchPriority;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>
/// A batch chunk's scores arriving: stored once, as the binary block it came in, toward the day's report; it may
/// complete the batch.
/// </summary>
public sealed class CollectScoredChunkConsumer(NotificationStore store, BatchReportCompletion completion) : IConsumer<DealChunkScored>
{
    public async Task Consume(ConsumeContext<DealChunkScored> context)
    {
        var scored = context.Message;
        // Read here so a malformed block faults now, with its reason, instead of when the report is written.
        scored.ReadScores();

        await store.ScoredChunks.AddAsync(scored, context.CancellationToken);
        if (await completion.TryCompleteAsync(scored.Batch.BatchId, context.CancellationToken) is { } report)
            await context.Publish(report, context.CancellationToken);
    }
}

public sealed class CollectScoredChunkConsumerDefinition : ConsumerDefinition<CollectScoredChunkConsumer>
{
    public CollectScoredChunkConsumerDefinition() => ConcurrentMessageLimit = 2;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CollectScoredChunkConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseBatchPriority(context);
}
