using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.ServiceDefaults;
using DealRisk.ServiceDefaults.BatchPriority;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>A chunk of the daily batch: history chunks feed the statistics, open chunks are featurized.</summary>
public sealed class FeaturizeDealChunkConsumer(BatchFeaturizer featurizer) : IConsumer<DealChunkSynced>
{
    public Task Consume(ConsumeContext<DealChunkSynced> context)
    {
        var outlet = BatchOutlets.For(context);
        return context.Message.Part == DealChunkParts.History
            ? featurizer.OnHistoryChunkAsync(context.Message, outlet, context.CancellationToken)
            : featurizer.OnOpenChunkAsync(context.Message, outlet, context.CancellationToken);
    }
}

public sealed class FeaturizeDealChunkConsumerDefinition : ConsumerDefinition<FeaturizeDealChunkConsumer>
{
    // One chunk at a time: scoring, not featurizing, sets a batch's pace, and two chunks at once took both cores from this
    // service's real-time rescores (tests/DealRisk.Benchmarks/MEASUREMENTS.md, "Rescoring during the daily batch").
    public FeaturizeDealChunkConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<FeaturizeDealChunkConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseBatchPriority(context);
}

internal static class BatchOutlets
{
    public static BatchOutlet For(ConsumeContext context) => new(
        computed => context.Publish(computed, context.CancellationToken),
        resync => context.SendCommandAsync(resync, context.CancellationToken),
        outcomes => context.Publish(outcomes, context.CancellationToken));
}
