using DealRisk.Contracts;
using DealRisk.Features.Domain;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>A chunk of the daily batch: history chunks feed the statistics, open chunks are featurized.</summary>
public sealed class FeaturizeDealChunkConsumer(BatchFeaturizer featurizer) : IConsumer<DealChunkSynced>
{
    public Task Consume(ConsumeContext<DealChunkSynced> context)
    {
        Task Publish(FeaturesComputed computed) => context.Publish(computed, context.CancellationToken);
        return context.Message.Part == DealChunkParts.History
            ? featurizer.OnHistoryChunkAsync(context.Message, Publish, context.CancellationToken)
            : featurizer.OnOpenChunkAsync(context.Message, Publish, context.CancellationToken);
    }
}

public sealed class FeaturizeDealChunkConsumerDefinition : ConsumerDefinition<FeaturizeDealChunkConsumer>
{
    public FeaturizeDealChunkConsumerDefinition() => ConcurrentMessageLimit = 2;
}
