using System.Threading.Channels;

namespace DealRisk.Features.Storage;

/// <summary>
/// "Write if newer" for concurrent real-time messages, combined: every write that arrives while the previous group is
/// being stored goes into the next group, stored as one bulk write (one transaction), so up to 128 messages in flight
/// per endpoint no longer queue one by one on SQLite's single writer connection. An idle writer stores a lone write at
/// once, so combining adds no waiting window. When a group fails, its writes are retried one by one, so one bad
/// document fails only its own message.
/// </summary>
/// <param name="writeMany">"Write if newer" for many items in one transaction; returns the ids it wrote.</param>
/// <param name="writeOne">"Write if newer" for one item; returns whether it wrote.</param>
/// <param name="keyOf">An item's id and version.</param>
public sealed class CombinedVersionedWrites<T> : IDisposable where T : class
{
    private const int MaxGroup = 256;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyCollection<T>, Task<IReadOnlySet<string>>> _writeMany;
    private readonly Func<T, Task<bool>> _writeOne;
    private readonly Func<T, (string Id, long Version)> _keyOf;
    private readonly Task _writing;

    public CombinedVersionedWrites(
        Func<IReadOnlyCollection<T>, Task<IReadOnlySet<string>>> writeMany, Func<T, Task<bool>> writeOne, Func<T, (string Id, long Version)> keyOf)
    {
        _writeMany = writeMany;
        _writeOne = writeOne;
        _keyOf = keyOf;
        // The writer loop outlives whichever message first needed it: it must not inherit that flow's context, such as
        // a batch chunk's background write priority (WritePriority), which would put every real-time write behind the batch.
        using (ExecutionContext.SuppressFlow())
            _writing = Task.Run(WriteGroupsAsync);
    }

    /// <summary>Returns whether this item was stored: false when the stored one, or a newer one in the same group, wins.</summary>
    public Task<bool> UpsertIfNewerAsync(T item, CancellationToken cancellationToken)
    {
        var (id, version) = _keyOf(item);
        var pending = new Pending(item, id, version);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(CombinedVersionedWrites<T>));
        // Once queued the write goes ahead; a caller that leaves only stops waiting for it (the write is idempotent).
        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
                group.Add(pending);
            try
            {
                Complete(group, await _writeMany(group.ConvertAll(pending => pending.Item)).ConfigureAwait(false));
            }
            catch (Exception) when (group.Count > 1)
            {
                foreach (var pending in group)
                    await WriteAloneAsync(pending).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                group[0].Stored.TrySetException(e);
            }
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            pending.Stored.TrySetResult(await _writeOne(pending.Item).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            pending.Stored.TrySetException(e);
        }
    }

    /// <summary>Of several writes to one id in a group, the newest is the one stored (the bulk write's own rule).</summary>
    private static void Complete(List<Pending> group, IReadOnlySet<string> written)
    {
        var newest = new Dictionary<string, long>(group.Count, StringComparer.Ordinal);
        foreach (var pending in group)
            if (!newest.TryGetValue(pending.Id, out var version) || pending.Version > version)
                newest[pending.Id] = pending.Version;
        foreach (var pending in group)
            pending.Stored.TrySetResult(written.Contains(pending.Id) && newest[pending.Id] == pending.Version);
    }

    /// <summary>Stores what is queued, then stops; synchronous, as the service provider may dispose either way.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writing.GetAwaiter().GetResult();
    }

    private sealed record Pending(T Item, string Id, long Version)
    {
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
