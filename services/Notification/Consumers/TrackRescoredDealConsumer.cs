using DealRisk.Contracts;
using DealRisk.Notification.Alerts;
using DealRisk.ScoreHistory;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>
/// A single rescored deal, on an endpoint no batch chunk queues on: into the deal's history first (the dashboard's deal
/// page), then its latest risk, alerting when it turned critical.
/// </summary>
public sealed class TrackRescoredDealConsumer(CriticalDealEscalation escalation, IScoreHistory history) : IConsumer<DealScored>
{
    public async Task Consume(ConsumeContext<DealScored> context)
    {
        await history.RecordAsync(context.Message, context.CancellationToken);
        foreach (var alert in await escalation.TrackAsync(context.Message, context.CancellationToken))
            await context.Publish(alert, context.CancellationToken);
    }
}

public sealed class TrackRescoredDealConsumerDefinition : ConsumerDefinition<TrackRescoredDealConsumer>
{
    public TrackRescoredDealConsumerDefinition() => ConcurrentMessageLimit = 4;
}
