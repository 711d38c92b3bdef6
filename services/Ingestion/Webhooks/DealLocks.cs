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
