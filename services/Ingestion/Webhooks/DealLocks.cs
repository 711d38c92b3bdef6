namespace DealRisk.Ingestion.Webhooks;

/// <summary>
/// Serializes changes to one deal within this process (striped, so memory stays fixed): concurrent deliveries for the
/// same deal then queue instead of racing. Optimistic versions still guard against other replicas.
/// </summary>
public sealed class DealLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> AcquireAsync(string dealKey, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(dealKey) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Release(stripe);
    }

    /// <summary>Holds every deal of a delivery at once; stripes are taken in one global order, so two deliveries cannot deadlock.</summary>
    public async Task<IDisposable> AcquireManyAsync(IEnumerable<string> dealKeys, CancellationToken cancellationToken)
    {
        var stripes = dealKeys.Select(key => (uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length).Distinct().Order().ToList();
        var held = new List<IDisposable>(stripes.Count);
        try
        {
            foreach (var index in stripes)
            {
                await _stripes[index].WaitAsync(cancellationToken);
                held.Add(new Release(_stripes[index]));
            }
        }
        catch
        {
            held.ForEach(release => release.Dispose());
            throw;
        }
        return new ReleaseAll(held);
    }

    private sealed class ReleaseAll(List<IDisposable> held) : IDisposable
    {
        public void Dispose() => held.ForEach(release => release.Dispose());
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                stripe.Release();
        }
    }
}
