using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>
/// The real-time path for one change announced on its own (as an earlier release did; ingestion now announces a
/// delivery's changes together, <see cref="StoreDealChangesConsumer"/>): the deal copy stored, its features recomputed
/// and sent on for scoring.
/// </summary>
public sealed class RecomputeDealFeaturesConsumer(ChangedDealFeatures features) : IConsumer<DealChanged>
{
    public async Task Consume(ConsumeContext<DealChanged> context)
    {
        if (await features.ComputeAsync(context.Message, context.CancellationToken) is { } computed)
            await context.Publish(computed, context.CancellationToken);
    }
}

public sealed class RecomputeDealFeaturesConsumerDefinition : ConsumerDefinition<RecomputeDealFeaturesConsumer>
{
    /// <summary>
    /// Enough messages at once to fill a combined write group and overlap the broker's confirms; beyond that, on two
    /// cores, more only interleaves their CPU work so that each waits longer (the prefetch of 128 all ran at once before).
    /// </summary>
    public const int ConcurrentMessages = 16;

    public RecomputeDealFeaturesConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMessages;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RecomputeDealFeaturesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
