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

/// <summary>
/// One message per channel per interval across every dispatcher sharing the store: a dispatcher reserves the channel's
/// next slot with a compare-and-set write before it sends, and pushes the slot back after a <c>Retry-After</c>.
/// </summary>
public sealed class ChannelPacing(NotificationStore store)
{
    private const int MaxConflicts = 8;

    /// <summary>Reserves the channel until <paramref name="now"/> + <paramref name="hold"/>; otherwise returns when it is free.</summary>
    public async Task<(bool Reserved, DateTimeOffset FreeAt)> TryReserveAsync(string pacingKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken)
    {
        var id = SlotId(pacingKey);
        var slot = await store.ChannelSlots.GetAsync(id, cancellationToken);
        if (slot is not null && slot.FreeAt > now)
            return (false, slot.FreeAt);
        var next = new ChannelSlot { FreeAt = now + hold, Revision = (slot?.Revision ?? 0) + 1 };
        if (await store.ChannelSlots.UpsertIfNewerAsync(id, next.Revision, next, cancellationToken))
            return (true, next.FreeAt);
        var taken = await store.ChannelSlots.GetAsync(id, cancellationToken);
        return (false, taken?.FreeAt ?? now);
    }

    /// <summary>Keeps the channel closed at least until <paramref name="until"/>.</summary>
    public async Task HoldUntilAsync(string pacingKey, DateTimeOffset until)
    {
        var id = SlotId(pacingKey);
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
