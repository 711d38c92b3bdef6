using DealRisk.Contracts;
using DealRisk.Features.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Features.Domain;

/// <summary>A batch chunk referenced deals this service does not hold at the referenced version, even after waiting.</summary>
public sealed class DealsNotSyncedException(string message) : Exception(message);

/// <summary>
/// The feature store's own copies of the deals, kept current by <c>DealSynced</c>. A batch chunk names deals and
/// versions; when a copy is missing or older, ingestion is asked to resync it and the chunk waits a bounded time.
/// </summary>
public sealed class DealCopies(DealCopyStore store, IOptions<FeaturesOptions> options, TimeProvider time, ILogger<DealCopies> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public Task<bool> SaveAsync(DealSnapshot deal, CancellationToken cancellationToken) => store.SaveIfNewerAsync(deal, cancellationToken);

    public Task<DealSnapshot?> GetAsync(string source, string externalId, CancellationToken cancellationToken) =>
        store.GetAsync(source, externalId, cancellationToken);

    /// <summary>Bulk load (seeding, benchmarks) without version checks.</summary>
    public Task SaveManyAsync(IReadOnlyCollection<DealSnapshot> deals, CancellationToken cancellationToken) => store.SaveManyAsync(deals, cancellationToken);

    public async Task<IReadOnlyList<DealSnapshot>> LoadAsync(
        DealChunkSynced chunk, Func<ResyncDeals, Task> requestResync, CancellationToken cancellationToken)
    {
        var keys = new string[chunk.Deals.Count];
        var wanted = new Dictionary<string, DealRef>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
            wanted[keys[i] = DealKey.Of(chunk.Deals[i].Source, chunk.Deals[i].ExternalId)] = chunk.Deals[i];

        var found = new Dictionary<string, DealSnapshot>(wanted.Count);
        var missing = await WaitForAsync(wanted, found, chunk.CorrelationId, options.Value.ResyncAfter, requestResync,
            count => logger.LogWarning("Batch {BatchId} {Part} chunk {ChunkIndex}: {Missing} deals not synced yet; asking ingestion to resync them",
                chunk.BatchId, chunk.Part, chunk.ChunkIndex, count), cancellationToken);

        if (missing.Count > 0)
            throw new DealsNotSyncedException(
                $"Batch {chunk.BatchId} {chunk.Part} chunk {chunk.ChunkIndex}: {missing.Count} of {wanted.Count} deals did not arrive within {options.Value.SyncWait} (first: {missing[0]}).");

        var loaded = new DealSnapshot[keys.Length];
        for (var i = 0; i < keys.Length; i++)
            loaded[i] = found[keys[i]];
        return loaded;
    }

    /// <summary>
    /// Brings the copies up to what ingestion holds: every deal it names that is missing here or older is resynced at
    /// once and waited for, a block at a time. Returns the keys still missing after the wait.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(
        IAsyncEnumerable<DealRef> held, Func<ResyncDeals, Task> requestResync, CancellationToken cancellationToken)
    {
        var stillMissing = new List<string>();
        var block = new Dictionary<string, DealRef>(ReconcileBlockSize);
        var correlationId = Guid.NewGuid();
        async Task ReconcileBlockAsync()
        {
            var found = new Dictionary<string, DealSnapshot>(block.Count);
            stillMissing.AddRange(await WaitForAsync(block, found, correlationId, TimeSpan.Zero, requestResync,
                count => logger.LogWarning("{Missing} deal copies missing or older than ingestion's; asking ingestion to resync them", count),
                cancellationToken));
            block.Clear();
        }

        await foreach (var deal in held.WithCancellation(cancellationToken))
        {
            block[DealKey.Of(deal.Source, deal.ExternalId)] = deal;
            if (block.Count >= ReconcileBlockSize)
                await ReconcileBlockAsync();
        }
        if (block.Count > 0)
            await ReconcileBlockAsync();
        return stillMissing;
    }

    private const int ReconcileBlockSize = 5000;

    private async Task<List<string>> WaitForAsync(
        Dictionary<string, DealRef> wanted,
        Dictionary<string, DealSnapshot> found,
        Guid correlationId,
        TimeSpan resyncAfter,
        Func<ResyncDeals, Task> requestResync,
        Action<int> onResync,
        CancellationToken cancellationToken)
    {
        await ReadAsync(wanted.Keys, found, cancellationToken);
        var missing = Missing(wanted, found);
        var started = time.GetUtcNow();
        var resyncRequested = false;
        while (missing.Count > 0 && time.GetUtcNow() - started < options.Value.SyncWait)
        {
            if (!resyncRequested && time.GetUtcNow() - started >= resyncAfter)
            {
                onResync(missing.Count);
                await requestResync(new ResyncDeals
                {
                    CorrelationId = correlationId,
                    Deals = missing.Select(id => wanted[id]).ToList(),
                    RequestedBy = FeaturesServiceExtensions.ServiceName,
                });
                resyncRequested = true;
            }
            await Task.Delay(PollInterval, time, cancellationToken);
            await ReadAsync(missing, found, cancellationToken);
            missing = Missing(wanted, found);
        }
        return missing;
    }

    private Task ReadAsync(IReadOnlyCollection<string> keys, Dictionary<string, DealSnapshot> found, CancellationToken cancellationToken) =>
        store.ReadManyAsync(keys, (key, deal) => found[key] = deal, cancellationToken);

    private static List<string> Missing(Dictionary<string, DealRef> wanted, Dictionary<string, DealSnapshot> found) =>
        wanted.Where(w => !found.TryGetValue(w.Key, out var copy) || copy.Version < w.Value.Version).Select(w => w.Key).ToList();
}
