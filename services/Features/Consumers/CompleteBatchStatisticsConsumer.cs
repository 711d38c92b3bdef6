using DealRisk.Contracts;
using DealRisk.Features.Domain;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>The batch manifest: the history count it carries may be what completes the statistics.</summary>
public sealed class CompleteBatchStatisticsConsumer(BatchFeaturizer featurizer) : IConsumer<DailyBatchSynced>
{
    public Task Consume(ConsumeContext<DailyBatchSynced> context) =>
        featurizer.OnBatchSyncedAsync(context.Message, BatchOutlets.For(context), context.CancellationToken);
}
