using System.Security.Cryptography;
using System.Text;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Outbox;

/// <summary>When a channel may take its next message; kept in the store so every dispatcher sharing it keeps the pace.</summary>
public sealed record ChannelSlot
{
    public required DateTimeOffset FreeAt { get; init; }
    public long Revision { get; init; }
}

/// <summary>A dispatcher's hold on a channel while its message is in flight.</summary>
public sealed record ChannelReservation(string SlotId, long Revision);

/// <summary>
/// One message per channel per interval across every dispatcher sharing the store. A dispatcher reserves the channel
/// with a compare-and-set write before it sends and keeps it closed for as long as the delivery may take (its lease),
/// so another dispatcher cannot send while the message is in flight; once the delivery is over it opens the channel
/// again one interval (or Slack's <c>Retry-After</c>) after the moment it finished.
/// </summary>
public sealed class ChannelPacing(NotificationStore store)
{
    private const int MaxConflicts = 8;

    /// <summary>Closes the channel until <paramref name="leaseUntil"/>; otherwise returns when it is free.</summary>
    public async Task<(ChannelReservation? Reservation, DateTimeOffset FreeAt)> TryReserveAsync(
        string pacingKey, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var id = SlotId(pacingKey);
        var slot = await store.ChannelSlots.GetAsync(id, cancellationToken);
        if (slot is not null && slot.FreeAt > now)
            return (null, slot.FreeAt);
        var next = new ChannelSlot { FreeAt = leaseUntil, Revision = (slot?.Revision ?? 0) + 1 };
        if (await store.ChannelSlots.UpsertIfNewerAsync(id, next.Revision, next, cancellationToken))
            return (new ChannelReservation(id, next.Revision), next.FreeAt);
        var taken = await store.ChannelSlots.GetAsync(id, cancellationToken);
        return (null, taken?.FreeAt ?? now);
    }

    /// <summary>
    /// Ends a reservation: the channel opens at <paramref name="freeAt"/>. Not cancellable, since a reservation left in
    /// place keeps the channel closed for the whole lease.
    /// </summary>
    public async Task ReleaseAsync(ChannelReservation reservation, DateTimeOffset freeAt)
    {
        var released = new ChannelSlot { FreeAt = freeAt, Revision = reservation.Revision + 1 };
        if (await store.ChannelSlots.UpsertIfNewerAsync(reservation.SlotId, released.Revision, released, CancellationToken.None))
            return;
        await HoldUntilAsync(reservation.SlotId, freeAt);
    }

    /// <summary>The lease ran out and another dispatcher holds the channel now: keep it closed at least until <paramref name="until"/>.</summary>
    private async Task HoldUntilAsync(string id, DateTimeOffset until)
    {
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var slot = await store.ChannelSlots.GetAsync(id, CancellationToken.None);
            if (slot is not null && slot.FreeAt >= until)
                return;
            var next = new ChannelSlot { FreeAt = until, Revision = (slot?.Revision ?? 0) + 1 };
            if (await store.ChannelSlots.UpsertIfNewerAsync(id, next.Revision, next, CancellationToken.None))
                return;
        }
    }

    /// <summary>A pacing key can be a webhook URL, which is a secret: only its hash is stored.</summary>
    private static string SlotId(string pacingKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pacingKey)));
}
