using System.Threading.Channels;
using DealRisk.Storage;

namespace DealRisk.Features.Storage;

/// <summary>
/// "Write if newer" for concurrent real-time messages, combined: every write that arrives while the previous group is
/// being stored goes into the next group, stored as one bulk write (one transaction), so up to 128 messages in flight
/// per endpoint no longer queue one by one on SQLite's single writer connection. An idle writer stores a lone write at
/// once, so combining adds no waiting window. When a group fails, its writes are retried one by one, so one bad
/// document fails only its own message.
/// </summary>
public sealed class CombinedVersionedWrites<T> : IDisposable where T : class
{
    private const int MaxGroup = 256;
    private readonly IDocumentCollection<T> _collection;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;

    public CombinedVersionedWrites(IDocumentCollection<T> collection)
    {
        _collection = collection;
        _writing = Task.Run(WriteGroupsAsync);
    }

    /// <summary>Returns whether this document was stored: false when the stored one, or a newer one in the same group, wins.</summary>
    public Task<bool> UpsertIfNewerAsync(string id, long version, T document, CancellationToken cancellationToken)
    {
        var pending = new Pending(new VersionedDocument<T>(id, version, document));
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
                Complete(group, await _collection.UpsertManyIfNewerAsync(group.ConvertAll(pending => pending.Document)).ConfigureAwait(false));
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
            var document = pending.Document;
            pending.Stored.TrySetResult(await _collection.UpsertIfNewerAsync(document.Id, document.Version, document.Document).ConfigureAwait(false));
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
            if (!newest.TryGetValue(pending.Document.Id, out var version) || pending.Document.Version > version)
                newest[pending.Document.Id] = pending.Document.Version;
        foreach (var pending in group)
            pending.Stored.TrySetResult(written.Contains(pending.Document.Id) && newest[pending.Document.Id] == pending.Document.Version);
    }

    /// <summary>Stores what is queued, then stops; synchronous, as the service provider may dispose either way.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writing.GetAwaiter().GetResult();
    }

    private sealed record Pending(VersionedDocument<T> Document)
    {
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
