using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Slack;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>Operator alerts from any service go to the operators' channel (routed by severity), once per event.</summary>
public sealed class ForwardOperatorAlertConsumer(NotificationOutbox outbox) : IConsumer<OperatorAlertRaised>
{
    public Task Consume(ConsumeContext<OperatorAlertRaised> context)
    {
        var alert = context.Message;
        var icon = alert.Severity switch { "critical" => "🔴", "warning" => "🟠", _ => "🔵" };
        var message = SlackBlocks.Notice($"{icon} {alert.Kind} ({alert.Severity})", alert.Message,
            $"from {alert.Source} at {alert.RaisedAt:yyyy-MM-dd HH:mm:ss 'UTC'}");
        return outbox.EnqueueSlackAsync($"{MessageKinds.Operator}:{alert.Kind}:{alert.CorrelationId:N}:{alert.RaisedAt.UtcTicks}",
            MessageKinds.Operator, message, context.CancellationToken, alert.Severity);
    }
}
