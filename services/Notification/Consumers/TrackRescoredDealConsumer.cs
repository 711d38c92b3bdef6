using DealRisk.Contracts;
using DealRisk.Notification.Alerts;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>
/// A single rescored deal, on an endpoint no batch chunk queues on: into its latest risk, alerting when it turned critical.
/// </summary>
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
    /// <summary>
    /// Each message takes about a millisecond when warm, but right after a start-up, with every service compiling on
    /// the same cores, 4 at once fell seconds behind for the first 40 s of load and held up the alerts.
    /// </summary>
    public const int ConcurrentMessages = 16;

    public TrackRescoredDealConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMessages;
}
