using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Outbox;

/// <summary>
/// Moves outbox messages between states with compare-and-set writes on <see cref="OutboxMessage.Revision"/>, so that
/// of several dispatchers sharing the store exactly one claims a message (pending → sending, with an owner and a lease)
/// and only the claim's holder records the outcome.
/// </summary>
public sealed class OutboxClaims(NotificationStore store)
{
    /// <summary>The claimed message, or null when another dispatcher changed it since it was read.</summary>
    public async Task<OutboxMessage?> TryClaimAsync(OutboxMessage message, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var claimed = message with { Status = OutboxStatus.Sending, Owner = owner, LeaseUntil = leaseUntil };
        return await TryWriteAsync(claimed, cancellationToken) ? claimed with { Revision = message.Revision + 1 } : null;
    }

    /// <summary>
    /// Records what came of a claimed message. False when the lease had run out and another dispatcher took it over.
    /// Not cancellable: once Slack has the message, losing this write is what would send it twice.
    /// </summary>
    public Task<bool> CompleteAsync(OutboxMessage claimed, OutboxMessage outcome) =>
        TryWriteAsync(outcome with { Revision = claimed.Revision, Owner = null, LeaseUntil = null }, CancellationToken.None);

    public static bool IsDue(OutboxMessage message, DateTimeOffset now) =>
        message.Status == OutboxStatus.Pending || (message.Status == OutboxStatus.Sending && message.LeaseUntil <= now);

    private Task<bool> TryWriteAsync(OutboxMessage basedOn, CancellationToken cancellationToken)
    {
        var next = basedOn with { Revision = basedOn.Revision + 1 };
        return store.Outbox.UpsertIfNewerAsync(next.Id, next.Revision, next, cancellationToken);
    }
}
