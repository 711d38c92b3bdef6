using System.Runtime.CompilerServices;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>An <see cref="IBinaryCollection"/> on MongoDB: a document { _id, _v, bin: BinData } per row.</summary>
internal sealed class MongoBinaryCollection(IMongoCollection<BsonDocument> collection, WriteFaults faults) : IBinaryCollection
{
    private const string PayloadElement = "bin";
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly SortDefinition<BsonDocument> ById = Builders<BsonDocument>.Sort.Ascending(DocumentEnvelope.IdElement);
    private static readonly BulkWriteOptions Unordered = new() { IsOrdered = false };

    public async Task<BinaryRow?> GetAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var found = await collection.Find(Filter.Eq(DocumentEnvelope.IdElement, id)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return found is null ? null : Row(found);
    }

    public async IAsyncEnumerable<BinaryRow> GetManyAsync(IReadOnlyCollection<string> ids, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sorted = ids.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(sorted, Utf8Order.Instance);
        foreach (var filter in MongoIdFilters.In(sorted))
        {
            await foreach (var row in Query(filter, ct).ConfigureAwait(false))
                yield return row;
        }
    }

    public async Task ReadManyAsync(IReadOnlyList<string> ids, BinaryRowReader read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var positions = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (i > 0 && Utf8Order.Instance.Compare(ids[i - 1], ids[i]) >= 0)
                throw new ArgumentException($"Ids must be distinct and in ascending UTF-8 order: '{ids[i - 1]}' comes before '{ids[i]}'.", nameof(ids));
            positions[ids[i]] = i;
        }
        foreach (var filter in MongoIdFilters.In(ids))
        {
            await foreach (var row in Query(filter, ct).ConfigureAwait(false))
                read(positions[row.Id], row.Version, row.Payload);
        }
    }

    public IAsyncEnumerable<BinaryRow> ScanAsync(CancellationToken ct = default) => Query(Filter.Empty, ct);

    public async IAsyncEnumerable<T> ScanAsync<T>(BinaryRowDecoder<T> decode, [EnumeratorCancellation] CancellationToken ct = default) where T : class
    {
        ArgumentNullException.ThrowIfNull(decode);
        await foreach (var row in ScanAsync(ct).ConfigureAwait(false))
            if (decode(Encoding.UTF8.GetBytes(row.Id), row.Version, row.Payload) is { } decoded)
                yield return decoded;
    }

    public async Task<bool> UpsertIfNewerAsync(BinaryRow row, CancellationToken ct = default) =>
        (await UpsertManyIfNewerAsync([row], ct).ConfigureAwait(false)).Count > 0;

    /// <summary>
    /// One transaction, as <see cref="MongoDocumentCollection{T}"/> does it: the stored versions are read and only the
    /// newer rows written, so a failure part-way writes nothing.
    /// </summary>
    public async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<BinaryRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var newest = NewestPerId(rows);
        if (newest.Count == 0)
            return new HashSet<string>();
        using var session = await collection.Database.Client.StartSessionAsync(cancellationToken: ct).ConfigureAwait(false);
        return await session.WithTransactionAsync(async (s, token) =>
        {
            var written = await WriteNewerAsync(s, newest, token).ConfigureAwait(false);
            faults.AfterBulkWrite();
            return written;
        }, cancellationToken: ct).ConfigureAwait(false);
    }

    internal IMongoClient Client => collection.Database.Client;

    /// <summary><see cref="UpsertManyIfNewerAsync(IReadOnlyCollection{BinaryRow}, CancellationToken)"/> inside the session's transaction.</summary>
    internal Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IClientSessionHandle session, IReadOnlyCollection<BinaryRow> rows, CancellationToken ct)
    {
        var newest = NewestPerId(rows);
        return newest.Count == 0 ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()) : WriteNewerAsync(session, newest, ct);
    }

    private async Task<IReadOnlySet<string>> WriteNewerAsync(IClientSessionHandle session, List<BinaryRow> newest, CancellationToken ct)
    {
        var stored = await MongoStoredVersions.ReadAsync(collection, session, newest.Select(row => row.Id), ct).ConfigureAwait(false);
        var newer = newest.Where(row => !stored.TryGetValue(row.Id, out var version) || version < row.Version).ToList();
        if (newer.Count > 0)
            await collection.BulkWriteAsync(session, newer.Select(row => new ReplaceOneModel<BsonDocument>(
                Filter.Eq(DocumentEnvelope.IdElement, row.Id) & Filter.Lt(DocumentEnvelope.VersionElement, row.Version),
                Document(row)) { IsUpsert = true }), Unordered, cancellationToken: ct).ConfigureAwait(false);
        return newer.Select(row => row.Id).ToHashSet(StringComparer.Ordinal);
    }

    public async Task UpsertManyAsync(IReadOnlyCollection<BinaryRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var last = new Dictionary<string, BinaryRow>(StringComparer.Ordinal);
        foreach (var row in rows)
            last[BinaryRowChecks.Checked(row).Id] = row;
        if (last.Count == 0)
            return;
        await collection.BulkWriteAsync(last.Values.Select(row => new ReplaceOneModel<BsonDocument>(
            Filter.Eq(DocumentEnvelope.IdElement, row.Id), Document(row)) { IsUpsert = true }), Unordered, cancellationToken: ct).ConfigureAwait(false);
        faults.AfterBulkWrite();
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return (await collection.DeleteOneAsync(Filter.Eq(DocumentEnvelope.IdElement, id), ct).ConfigureAwait(false)).DeletedCount > 0;
    }

    public Task<long> CountAsync(CancellationToken ct = default) => collection.CountDocumentsAsync(Filter.Empty, cancellationToken: ct);

    private async IAsyncEnumerable<BinaryRow> Query(FilterDefinition<BsonDocument> filter, [EnumeratorCancellation] CancellationToken ct)
    {
        using var cursor = await collection.FindAsync(filter, new FindOptions<BsonDocument> { Sort = ById, NoCursorTimeout = true }, ct).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
            foreach (var found in cursor.Current)
                yield return Row(found);
    }

    private static List<BinaryRow> NewestPerId(IEnumerable<BinaryRow> rows)
    {
        var newest = new Dictionary<string, BinaryRow>(StringComparer.Ordinal);
        foreach (var row in rows)
            if (!newest.TryGetValue(BinaryRowChecks.Checked(row).Id, out var kept) || kept.Version < row.Version)
                newest[row.Id] = row;
        return [.. newest.Values];
    }

    private static BsonDocument Document(BinaryRow row) => new()
    {
        { DocumentEnvelope.IdElement, row.Id },
        { DocumentEnvelope.VersionElement, row.Version },
        { PayloadElement, new BsonBinaryData(row.Payload) },
    };

    private static BinaryRow Row(BsonDocument found) => new(
        found[DocumentEnvelope.IdElement].AsString,
        found.GetValue(DocumentEnvelope.VersionElement, 0L).ToInt64(),
        found[PayloadElement].AsByteArray);
}
