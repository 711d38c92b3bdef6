using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// The canonical deals ingestion owns, one document per deal where the newest version wins, and beside them a
/// slim index (identity, version, dates) that lets a batch place a million deals without reading them, as binary rows
/// (<see cref="DealIndexRows"/>). An index a release before this one stored as BSON documents is moved over at start-up.
/// </summary>
public sealed class DealRepository(
    [FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store,
    ILogger<DealRepository>? logger = null) : IStoreMigration
{
    /// <summary>Where releases before the binary rows kept the index, one BSON document per deal.</summary>
    public const string LegacyIndexCollection = "deal-index";

    public const string IndexCollection = "deal-index-rows";

    private readonly IDocumentCollection<DealSnapshot> _deals = store.GetCollection<DealSnapshot>("deals");
    private readonly IBinaryCollection _index = store.GetBinaryCollection(IndexCollection);
    private readonly ILogger _logger = logger ?? NullLogger<DealRepository>.Instance;

    public Task<DealSnapshot?> GetAsync(string source, string externalId, CancellationToken cancellationToken) =>
        _deals.GetAsync(DealKey.Of(source, externalId), cancellationToken);

    public IAsyncEnumerable<DealSnapshot> GetManyAsync(IEnumerable<DealRef> deals, CancellationToken cancellationToken) =>
        _deals.GetManyAsync(deals.Select(deal => DealKey.Of(deal.Source, deal.ExternalId)).ToList(), cancellationToken);

    /// <summary>Saves the deal and its index entry together unless a version at least as new is stored; returns whether it wrote.</summary>
    public async Task<bool> SaveAsync(DealSnapshot deal, CancellationToken cancellationToken) =>
        (await SaveManyIfNewerAsync([deal], cancellationToken)).Count > 0;

    /// <summary>Saves each deal unless a version at least as new is stored, deals and index in one transaction; returns the keys written.</summary>
    public Task<IReadOnlySet<string>> SaveManyIfNewerAsync(IReadOnlyCollection<DealSnapshot> deals, CancellationToken cancellationToken) =>
        store.WriteTogetherAsync(transaction => SaveManyIfNewerAsync(transaction, deals), cancellationToken);

    /// <summary><see cref="SaveManyIfNewerAsync(IReadOnlyCollection{DealSnapshot}, CancellationToken)"/> as part of a larger transaction.</summary>
    public async Task<IReadOnlySet<string>> SaveManyIfNewerAsync(IDocumentTransaction transaction, IReadOnlyCollection<DealSnapshot> deals)
    {
        var written = await transaction.UpsertManyIfNewerAsync(_deals,
            deals.Select(deal => new VersionedDocument<DealSnapshot>(DealKey.Of(deal.Source, deal.ExternalId), deal.Version, deal)).ToList());
        await transaction.UpsertManyIfNewerAsync(_index,
            deals.Where(deal => written.Contains(DealKey.Of(deal.Source, deal.ExternalId))).Select(deal => DealIndexRows.Encode(DealIndexEntry.Of(deal))).ToList());
        return written;
    }

    public async Task<bool> DeleteAsync(string source, string externalId, CancellationToken cancellationToken)
    {
        var key = DealKey.Of(source, externalId);
        await _index.DeleteAsync(key, cancellationToken);
        return await _deals.DeleteAsync(key, cancellationToken);
    }

    /// <summary>Bulk load (seeding, benchmarks): writes deals and their index entries without version checks.</summary>
    public async Task SaveManyAsync(IReadOnlyCollection<DealSnapshot> deals, CancellationToken cancellationToken)
    {
        await _deals.UpsertManyAsync(deals.Select(deal => KeyValuePair.Create(DealKey.Of(deal.Source, deal.ExternalId), deal)).ToList(), cancellationToken);
        await _index.UpsertManyAsync(deals.Select(deal => DealIndexRows.Encode(DealIndexEntry.Of(deal))).ToList(), cancellationToken);
    }

    public IAsyncEnumerable<DealIndexEntry> ClosedAsync(CancellationToken cancellationToken) => IndexedAsync(closed: true, cancellationToken);

    public IAsyncEnumerable<DealIndexEntry> NotClosedAsync(CancellationToken cancellationToken) => IndexedAsync(closed: false, cancellationToken);

    public async Task MigrateAsync(CancellationToken ct)
    {
        var moved = await LayoutMigration.MoveAsync(store.GetCollection<DealIndexEntry>(LegacyIndexCollection, "isClosed"), _index,
            DealIndexRows.Encode, ct);
        if (moved > 0)
            _logger.LogInformation("Moved {Deals} deal index entries from the per-deal BSON documents of '{Legacy}' to binary rows", moved, LegacyIndexCollection);
    }

    /// <summary>One walk of the index in key order; only the entries of the deals asked for are decoded, in place.</summary>
    private IAsyncEnumerable<DealIndexEntry> IndexedAsync(bool closed, CancellationToken cancellationToken) =>
        _index.ScanAsync((id, _, payload) => DealIndexRows.DecodeIf(closed, id, payload), cancellationToken);
}
