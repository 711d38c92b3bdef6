using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.TrackRecord;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>
/// A batch's manifest: how many history chunks its closed-deal figures wait for, and how many open chunks its drift
/// judgement waits for.
/// </summary>
public sealed class BatchManifestConsumer(BatchClosedDealRefresh refresh, BatchDrift batchDrift) : IConsumer<DailyBatchSynced>
{
    public async Task Consume(ConsumeContext<DailyBatchSynced> context)
    {
        if (await refresh.OnBatchSyncedAsync(context.Message, context.CancellationToken) is { } updated)
            await context.Publish(updated, context.CancellationToken);
        await batchDrift.OnBatchSyncedAsync(context, context.Message);
    }
}

/// <summary>The queue keeps the name it had when only the closed-deal figures waited for it, so a manifest queued through an upgrade is still consumed.</summary>
public sealed class BatchManifestConsumerDefinition : ConsumerDefinition<BatchManifestConsumer>
{
    public BatchManifestConsumerDefinition() => EndpointName = "complete-closed-deal-figures";
}
