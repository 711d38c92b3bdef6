namespace DealRisk.Ingestion.Webhooks;

/// <summary>
/// Serializes changes to one deal within this process: concurrent deliveries for the same deal queue instead of
/// racing, while deliveries of different deals never wait for each other (striped locks made two deliveries of 100
/// deals share a stripe almost always, which serialized every HubSpot delivery). A deal's lock lives only while held
/// or awaited, so memory follows the deliveries in flight. Optimistic versions still guard against other replicas.
/// </summary>
public sealed class DealLocks
{
    private readonly Dictionary<string, Holder> _held = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string dealKey, CancellationToken cancellationToken)
    {
        var holder = Enter(dealKey);
        try
        {
            await holder.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(dealKey, holder);
            throw;
        }
        return new Release(this, dealKey, holder);
    }

    /// <summary>Holds every deal of a delivery at once; keys are taken in one global order, so two deliveries cannot deadlock.</summary>
    public async Task<IDisposable> AcquireManyAsync(IEnumerable<string> dealKeys, CancellationToken cancellationToken)
    {
        var keys = dealKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var held = new List<IDisposable>(keys.Count);
        try
        {
            foreach (var key in keys)
                held.Add(await AcquireAsync(key, cancellationToken));
        }
        catch
        {
            held.ForEach(release => release.Dispose());
            throw;
        }
        return new ReleaseAll(held);
    }

    /// <summary>Deals whose lock is held or awaited right now.</summary>
    public int Count
    {
        get
        {
            lock (_held)
                return _held.Count;
        }
    }

    private Holder Enter(string dealKey)
    {
        lock (_held)
        {
            if (!_held.TryGetValue(dealKey, out var holder))
                _held[dealKey] = holder = new Holder();
            holder.Users++;
            return holder;
        }
    }

    private void Leave(string dealKey, Holder holder)
    {
        lock (_held)
        {
            if (--holder.Users == 0)
                _held.Remove(dealKey);
        }
    }

    private sealed class Holder
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class ReleaseAll(List<IDisposable> held) : IDisposable
    {
        public void Dispose() => held.ForEach(release => release.Dispose());
    }

    private sealed class Release(DealLocks locks, string dealKey, Holder holder) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            holder.Gate.Release();
            locks.Leave(dealKey, holder);
        }
    }
}
