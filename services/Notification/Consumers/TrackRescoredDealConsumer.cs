using DealRisk.Contracts;
using DealRisk.Notification.Alerts;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>A single rescored deal: updates its latest risk and alerts when it turned critical, on an endpoint no batch chunk queues on.</summary>
public sealed class TrackRescoredDealConsumer(CriticalDealEscalation escalation) : IConsumer<DealScored>
{
    public async Task Consume(ConsumeContext<DealScored> context)
    {
        foreach (var alert in await escalation.TrackAsync(context.Message, context.CancellationToken))
            await context.Publish(alert, context.CancellationToken);
    }
}

public sealed class TrackRescoredDealConsumerDefinition : ConsumerDefinition<TrackRescoredDealConsumer>
{
    public TrackRescoredDealConsumerDefinition() => ConcurrentMessageLimit = 4;
}
