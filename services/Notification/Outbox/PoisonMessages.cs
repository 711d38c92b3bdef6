using DealRisk.Notification.Slack;

namespace DealRisk.Notification.Outbox;

/// <summary>
/// Takes a message the receiver keeps refusing out of its channel's queue and tells the operators which one and
/// why, so the messages behind it go out. An alert about a parked alert is not raised again: the operators' own
/// channel may be what is broken.
/// </summary>
public sealed partial class PoisonMessages(OutboxClaims claims, NotificationOutbox outbox, ILogger<PoisonMessages> logger)
{
    private const string AlertPrefix = MessageKinds.Operator + ":parked:";

    public async Task ParkAsync(IReadOnlyList<OutboxMessage> messages, string? error)
    {
        // Not cancellable, like marking a message sent: the channel must not stay blocked by a half-done park.
        foreach (var message in messages)
            await claims.CompleteAsync(message, message with { Status = OutboxStatus.Parked, Attempts = message.Attempts + 1, Refusals = message.Refusals + 1, LastError = error });
        foreach (var message in messages)
            LogParked(message.Id, message.Kind, message.Destination, message.Refusals + 1, error);

        var first = messages[0];
        if (first.Id.StartsWith(AlertPrefix, StringComparison.Ordinal))
            return;
        var ids = string.Join(", ", messages.Select(m => m.Id));
        var notice = SlackBlocks.Notice("🔴 Slack message parked (critical)",
            $"Slack refused {messages.Count} message(s) for {first.Destination} {first.Refusals + 1} times ({error}); parked so the channel moves on: {ids}.",
            "Fix the cause (an archived channel, a revoked webhook, an invalid block) and look for status 'parked' in the outbox.");
        await outbox.EnqueueSlackAsync(AlertPrefix + first.Id, MessageKinds.Operator, notice, CancellationToken.None, "critical");
    }

    [LoggerMessage(LogLevel.Error, "Outbox message {MessageId} ({Kind}) to {Destination} parked after {Refusals} refusals: {Error}")]
    private partial void LogParked(string messageId, string kind, string destination, int refusals, string? error);
}
