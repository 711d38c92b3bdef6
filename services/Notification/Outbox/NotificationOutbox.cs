using DealRisk.Contracts;
using DealRisk.Notification.Email;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Outbox;

/// <summary>
/// Every outgoing message is written here first; the <see cref="OutboxDispatcher"/> delivers it. Enqueuing the same
/// id again changes nothing, so a redelivered event never queues a second message.
/// </summary>
public sealed class NotificationOutbox(NotificationStore store, OutboxSignal signal, IOptions<SlackOptions> slack, IOptions<EmailOptions> email, TimeProvider time)
{
    public Task<bool> EnqueueSlackAsync(string id, string kind, SlackMessage message, CancellationToken cancellationToken, string? level = null,
        OutboxSequence? sequence = null) =>
        EnqueueAsync(New(id, kind, slack.Value.ChannelFor(kind, level), sequence) with
        {
            Text = message.Text,
            BlocksJson = message.Blocks?.ToJsonString(),
        }, cancellationToken);

    public Task<bool> EnqueueCriticalDealAsync(DealRiskScore score, string context, CancellationToken cancellationToken) =>
        EnqueueAsync(New($"{MessageKinds.CriticalDeal}:{DealKey.Of(score.Deal)}:{score.Deal.Version}", MessageKinds.CriticalDeal,
            slack.Value.ChannelFor(MessageKinds.CriticalDeal, score.Level)) with
        {
            CriticalDeal = score,
            Context = context,
        }, cancellationToken);

    /// <summary>Queues the email when SMTP is configured; returns false when it is not or the message was queued before.</summary>
    public Task<bool> EnqueueEmailAsync(string id, string kind, EmailContent content, CancellationToken cancellationToken,
        OutboxSequence? sequence = null) =>
        email.Value.IsConfigured
            ? EnqueueAsync(New(id, kind, OutboxDestinations.Email, sequence) with { Email = content }, cancellationToken)
            : Task.FromResult(false);

    private OutboxMessage New(string id, string kind, string destination, OutboxSequence? sequence = null)
    {
        var now = time.GetUtcNow();
        return new OutboxMessage
        {
            Id = id, Kind = kind, Destination = destination, CreatedAt = now, NextAttemptAt = now,
            SequenceGroup = sequence?.Group, Sequence = sequence?.Position ?? 0,
        };
    }

    private async Task<bool> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var queued = await store.Outbox.InsertIfAbsentAsync(message.Id, message, cancellationToken);
        if (queued)
            signal.Wake();
        return queued;
    }

}

/// <summary>Wakes the dispatcher the moment something is queued, so a critical alert does not wait for a poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake-pending: one wake-up covers everything queued before it is consumed.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
