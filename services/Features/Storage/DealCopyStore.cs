using System.Runtime.CompilerServices;
using DealRisk.Contracts;
using DealRisk.Storage;
using MemoryPack;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Features.Storage;

/// <summary>
/// The feature service's copies of the deals, one row per deal keyed by <see cref="DealKey"/> with the deal version and
/// the deal in binary (MemoryPack), so opening a batch chunk reads its 5,000 copies in key order without decoding a
/// document per deal. Copies a release before this one stored as BSON documents (<c>deals</c>) are moved over at start-up.
/// </summary>
public sealed class DealCopyStore(
    [FromKeyedServices(FeaturesServiceExtensions.ServiceName)] IDocumentStore store,
    ILogger<DealCopyStore> logger) : IStoreMigration
{
    private readonly IBinaryCollection _copies = store.GetBinaryCollection("deal-copies");

    public async Task<DealSnapshot?> GetAsync(string source, string externalId, CancellationToken ct) =>
        await _copies.GetAsync(DealKey.Of(source, externalId), ct) is { } row ? Decode(row) : null;

    /// <summary>The copies among these keys, in key order; keys without a copy are left out.</summary>
    public async IAsyncEnumerable<DealSnapshot> GetManyAsync(IReadOnlyCollection<string> keys, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in _copies.GetManyAsync(keys, ct))
            yield return Decode(row);
    }

    /// <summary>
    /// Decodes the stored copies among these keys (distinct) and hands each to <paramref name="found"/> with its key, in key
    /// order; keys without a copy are left out. One walk of the key index, payloads decoded straight from the store's pages.
    /// </summary>
    public Task ReadManyAsync(IReadOnlyCollection<string> keys, Action<string, DealSnapshot> found, CancellationToken ct)
    {
        var sorted = keys.ToArray();
        Array.Sort(sorted, Utf8Order.Instance);
        return _copies.ReadManyAsync(sorted, (index, _, payload) => found(sorted[index], Decode(sorted[index], payload)), ct);
    }

    public async IAsyncEnumerable<DealSnapshot> ScanAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in _copies.ScanAsync(ct))
            yield return Decode(row);
    }

    /// <summary>Keeps the copy unless one at the same or a later version is stored; returns whether it wrote.</summary>
    public Task<bool> SaveIfNewerAsync(DealSnapshot deal, CancellationToken ct) => SaveIfNewerAsync(Encode(deal), ct);

    /// <summary><see cref="SaveIfNewerAsync(DealSnapshot, CancellationToken)"/> for a copy already encoded.</summary>
    public Task<bool> SaveIfNewerAsync(BinaryRow copy, CancellationToken ct) => _copies.UpsertIfNewerAsync(copy, ct);

    /// <summary>Many encoded copies in one transaction, each only if newer; returns the keys it wrote.</summary>
    public Task<IReadOnlySet<string>> SaveManyIfNewerAsync(IReadOnlyCollection<BinaryRow> copies, CancellationToken ct) =>
        _copies.UpsertManyIfNewerAsync(copies, ct);

    /// <summary>Bulk load (seeding, benchmarks) without version checks.</summary>
    public Task SaveManyAsync(IReadOnlyCollection<DealSnapshot> deals, CancellationToken ct) =>
        _copies.UpsertManyAsync(deals.Select(Encode).ToList(), ct);

    public Task<bool> DeleteAsync(string source, string externalId, CancellationToken ct) => _copies.DeleteAsync(DealKey.Of(source, externalId), ct);

    public Task<long> CountAsync(CancellationToken ct) => _copies.CountAsync(ct);

    public async Task MigrateAsync(CancellationToken ct)
    {
        var moved = await LayoutMigration.MoveAsync(store.GetCollection<DealSnapshot>(LegacyCollection), _copies, Encode, ct);
        if (moved > 0)
            logger.LogInformation("Moved {Deals} deal copies from the per-deal BSON documents of '{Legacy}' to binary rows", moved, LegacyCollection);
    }

    /// <summary>Where releases before the binary rows kept the copies, one BSON document per deal.</summary>
    public const string LegacyCollection = "deals";

    public static BinaryRow Encode(DealSnapshot deal) =>
        new(DealKey.Of(deal.Source, deal.ExternalId), deal.Version, MemoryPackSerializer.Serialize(deal));

    public static DealSnapshot Decode(BinaryRow row) => Decode(row.Id, row.Payload);

    public static DealSnapshot Decode(string key, ReadOnlySpan<byte> payload)
    {
        try
        {
            return MemoryPackSerializer.Deserialize<DealSnapshot>(payload)
                   ?? throw new InvalidDataException($"The deal copy '{key}' holds nothing.");
        }
        catch (MemoryPackSerializationException e)
        {
            throw new InvalidDataException(
                $"The deal copy '{key}' ({payload.Length} bytes) cannot be read: {e.Message} Delete the row: a batch that needs the deal then asks ingestion to resync it.", e);
        }
    }
}
