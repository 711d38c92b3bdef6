using DealRisk.Contracts;
using DealRisk.Scoring.TrackRecord;
using DealRisk.ServiceDefaults;
using DealRisk.ServiceDefaults.BatchPriority;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>A batch history chunk's closed deals, kept until the batch's figures on deals closed since training are refreshed.</summary>
public sealed class RefreshClosedDealFiguresConsumer(BatchClosedDealRefresh refresh) : IConsumer<ClosedDealOutcomes>
{
    public async Task Consume(ConsumeContext<ClosedDealOutcomes> context)
    {
        if (await refresh.OnOutcomesAsync(context.Message, context.CancellationToken) is { } updated)
            await context.Publish(updated, context.CancellationToken);
    }
}

/// <summary>Outcome chunks are small and cheap; one at a time keeps them off the cores the batch's scoring needs.</summary>
public sealed class RefreshClosedDealFiguresConsumerDefinition : ConsumerDefinition<RefreshClosedDealFiguresConsumer>
{
    public RefreshClosedDealFiguresConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RefreshClosedDealFiguresConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseBatchPriority(context);
}
