using System.Runtime.CompilerServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

internal sealed class MongoDocumentCollection<T> : IDocumentCollection<T> where T : class
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly FilterDefinitionBuilder<RawBsonDocument> RawFilter = Builders<RawBsonDocument>.Filter;
    private static readonly ReplaceOptions Upsert = new() { IsUpsert = true };
    private static readonly BulkWriteOptions Unordered = new() { IsOrdered = false };

    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly IMongoCollection<RawBsonDocument> _writes;
    private readonly IndexedFields _fields;
    private readonly WriteFaults _faults;

    public MongoDocumentCollection(IMongoCollection<BsonDocument> collection, IndexedFields fields, WriteFaults faults)
    {
        _collection = collection;
        _writes = collection.Database.GetCollection<RawBsonDocument>(collection.CollectionNamespace.CollectionName);
        _fields = fields;
        _faults = faults;
    }

    public async Task<T?> GetAsync(string id, CancellationToken ct = default)
    {
        var envelope = await _collection.Find(ById(id)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return envelope is null ? null : DocumentEnvelope.Unwrap<T>(envelope);
    }

    public Task UpsertAsync(string id, T document, CancellationToken ct = default) =>
        _writes.ReplaceOneAsync(RawById(id), Envelope(id, 0, document), Upsert, ct);

    public async Task<bool> UpsertIfNewerAsync(string id, long version, T document, CancellationToken ct = default)
    {
        using var envelope = Envelope(id, version, document);
        var olderOrAbsent = RawById(id) & RawFilter.Lt(DocumentEnvelope.VersionElement, version);
        // A duplicate key means the filter missed a stored document. The first one can also come from a
        // concurrent insert racing ours, so only a second one proves the stored version is not older.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _writes.ReplaceOneAsync(olderOrAbsent, envelope, Upsert, ct).ConfigureAwait(false);
                return true;
            }
            catch (MongoWriteException e) when (MongoErrors.IsDuplicateKey(e))
            {
                if (attempt == 2)
                    return false;
            }
        }
    }

    /// <summary>
    /// One transaction: the stored versions are read and only the newer documents written in one bulk write, so a
    /// failure part-way writes nothing and a retry sees every document as new again (as on SQLite). A concurrent
    /// writer makes the transaction conflict, and the driver runs it again.
    /// </summary>
    public async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            return new HashSet<string>();
        using var session = await _collection.Database.Client.StartSessionAsync(cancellationToken: ct).ConfigureAwait(false);
        return await session.WithTransactionAsync(async (s, token) =>
        {
            var written = await UpsertManyIfNewerAsync(s, documents, token).ConfigureAwait(false);
            _faults.AfterBulkWrite();
            return written;
        }, cancellationToken: ct).ConfigureAwait(false);
    }

    internal IMongoClient Client => _collection.Database.Client;

    /// <summary>Inside the session's transaction: reads the stored versions, then writes only the newer documents.</summary>
    internal async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IClientSessionHandle session, IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct)
    {
        var newest = BulkDocuments.NewestPerId(documents);
        if (newest.Count == 0)
            return new HashSet<string>();
        var stored = await MongoStoredVersions.ReadAsync(_collection, session, newest.Select(document => document.Id), ct).ConfigureAwait(false);

        var newer = newest.Where(document => !stored.TryGetValue(document.Id, out var version) || version < document.Version).ToList();
        var requests = newer.Select(document => new ReplaceOneModel<RawBsonDocument>(
            RawById(document.Id) & RawFilter.Lt(DocumentEnvelope.VersionElement, document.Version),
            Envelope(document.Id, document.Version, document.Document)) { IsUpsert = true }).ToList();
        try
        {
            if (requests.Count > 0)
                await _writes.BulkWriteAsync(session, requests, Unordered, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var request in requests)
                request.Replacement.Dispose();
        }
        return newer.Select(document => document.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Inside the session's transaction.</summary>
    internal async Task UpsertAsync(IClientSessionHandle session, string id, T document, CancellationToken ct)
    {
        using var envelope = Envelope(id, 0, document);
        await _writes.ReplaceOneAsync(session, RawById(id), envelope, Upsert, ct).ConfigureAwait(false);
    }

    public async Task<bool> InsertIfAbsentAsync(string id, T document, CancellationToken ct = default)
    {
        try
        {
            using var envelope = Envelope(id, 0, document);
            await _writes.InsertOneAsync(envelope, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (MongoWriteException e) when (MongoErrors.IsDuplicateKey(e))
        {
            return false;
        }
    }

    /// <summary>One unordered bulk write; of several documents under one id the last wins, as it does on SQLite.</summary>
    public async Task UpsertManyAsync(IReadOnlyCollection<KeyValuePair<string, T>> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var last = BulkDocuments.LastPerId(documents);
        if (last.Count == 0)
            return;
        var requests = last.Select(pair =>
            new ReplaceOneModel<RawBsonDocument>(RawById(pair.Key), Envelope(pair.Key, 0, pair.Value)) { IsUpsert = true }).ToList();
        try
        {
            await _writes.BulkWriteAsync(requests, Unordered, ct).ConfigureAwait(false);
            _faults.AfterBulkWrite();
        }
        finally
        {
            foreach (var request in requests)
                request.Replacement.Dispose();
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        var result = await _collection.DeleteOneAsync(ById(id), ct).ConfigureAwait(false);
        return result.DeletedCount > 0;
    }

    public async Task<long> DeleteByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        long deleted = 0;
        foreach (var filter in MongoIdFilters.In(ids))
            deleted += (await _collection.DeleteManyAsync(filter, ct).ConfigureAwait(false)).DeletedCount;
        return deleted;
    }

    public async Task<long> DeleteManyAsync(string field, object? value, CancellationToken ct = default)
    {
        var result = await _collection.DeleteManyAsync(Equal(field, value), ct).ConfigureAwait(false);
        return result.DeletedCount;
    }

    public async IAsyncEnumerable<T> GetManyAsync(IReadOnlyCollection<string> ids, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var filter in MongoIdFilters.In(ids))
        {
            await foreach (var document in Query(filter, ct).ConfigureAwait(false))
                yield return document;
        }
    }

    public IAsyncEnumerable<T> FindAsync(string field, object? value, CancellationToken ct = default) =>
        Query(Equal(field, value), ct);

    public IAsyncEnumerable<T> ScanAsync(CancellationToken ct = default) => Query(Filter.Empty, ct);

    public Task<long> CountAsync(string? field = null, object? value = null, CancellationToken ct = default) =>
        _collection.CountDocumentsAsync(field is null ? Filter.Empty : Equal(field, value), cancellationToken: ct);

    private FilterDefinition<BsonDocument> Equal(string field, object? value)
    {
        _fields.EnsureDeclared(field);
        return Filter.Eq(field, FilterValue.ToBson(value));
    }

    /// <summary>
    /// A cursor without the server's 10-minute idle timeout: a consumer may take longer than that between two
    /// batches of a large scan. It is closed when the enumeration ends or is abandoned.
    /// </summary>
    private async IAsyncEnumerable<T> Query(FilterDefinition<BsonDocument> filter, [EnumeratorCancellation] CancellationToken ct)
    {
        using var cursor = await _collection.FindAsync(filter, new FindOptions<BsonDocument> { NoCursorTimeout = true }, ct).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
        {
            foreach (var envelope in cursor.Current)
                yield return DocumentEnvelope.Unwrap<T>(envelope);
        }
    }

    private static RawBsonDocument Envelope(string id, long version, T document) =>
        new(DocumentSizeLimit.Ensure(id, DocumentEnvelope.WrapToBson(id, version, document)));

    private static FilterDefinition<BsonDocument> ById(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Filter.Eq(DocumentEnvelope.IdElement, id);
    }

    private static FilterDefinition<RawBsonDocument> RawById(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RawFilter.Eq(DocumentEnvelope.IdElement, id);
    }
}
