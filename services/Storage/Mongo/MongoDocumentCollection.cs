using System.Runtime.CompilerServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

internal sealed class MongoDocumentCollection<T> : IDocumentCollection<T> where T : class
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly ReplaceOptions Upsert = new() { IsUpsert = true };

    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly IndexedFields _fields;

    public MongoDocumentCollection(IMongoCollection<BsonDocument> collection, IndexedFields fields)
    {
        _collection = collection;
        _fields = fields;
    }

    public async Task<T?> GetAsync(string id, CancellationToken ct = default)
    {
        var envelope = await _collection.Find(ById(id)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return envelope is null ? null : DocumentEnvelope.Unwrap<T>(envelope);
    }

    public Task UpsertAsync(string id, T document, CancellationToken ct = default) =>
        _collection.ReplaceOneAsync(ById(id), DocumentEnvelope.Wrap(id, 0, document), Upsert, ct);

    public async Task<bool> UpsertIfNewerAsync(string id, long version, T document, CancellationToken ct = default)
    {
        var envelope = DocumentEnvelope.Wrap(id, version, document);
        var olderOrAbsent = ById(id) & Filter.Lt(DocumentEnvelope.VersionElement, version);
        // A duplicate key means the filter missed a stored document. The first one can also come from a
        // concurrent insert racing ours, so only a second one proves the stored version is not older.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _collection.ReplaceOneAsync(olderOrAbsent, envelope, Upsert, ct).ConfigureAwait(false);
                return true;
            }
            catch (MongoWriteException e) when (MongoErrors.IsDuplicateKey(e))
            {
                if (attempt == 2)
                    return false;
            }
        }
    }

    /// <summary>Document by document: each needs the duplicate-key handling of <see cref="UpsertIfNewerAsync"/>.</summary>
    public async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in documents)
            if (await UpsertIfNewerAsync(document.Id, document.Version, document.Document, ct).ConfigureAwait(false))
                written.Add(document.Id);
        return written;
    }

    public async Task<bool> InsertIfAbsentAsync(string id, T document, CancellationToken ct = default)
    {
        try
        {
            await _collection.InsertOneAsync(DocumentEnvelope.Wrap(id, 0, document), cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (MongoWriteException e) when (MongoErrors.IsDuplicateKey(e))
        {
            return false;
        }
    }

    public Task UpsertManyAsync(IReadOnlyCollection<KeyValuePair<string, T>> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            return Task.CompletedTask;
        var requests = documents.Select(pair =>
            new ReplaceOneModel<BsonDocument>(ById(pair.Key), DocumentEnvelope.Wrap(pair.Key, 0, pair.Value)) { IsUpsert = true });
        return _collection.BulkWriteAsync(requests, new BulkWriteOptions { IsOrdered = false }, ct);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        var result = await _collection.DeleteOneAsync(ById(id), ct).ConfigureAwait(false);
        return result.DeletedCount > 0;
    }

    public async IAsyncEnumerable<T> GetManyAsync(IReadOnlyCollection<string> ids, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var batch in ids.Chunk(1000))
        {
            await foreach (var document in Query(Filter.In(DocumentEnvelope.IdElement, batch), ct).ConfigureAwait(false))
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

    private async IAsyncEnumerable<T> Query(FilterDefinition<BsonDocument> filter, [EnumeratorCancellation] CancellationToken ct)
    {
        using var cursor = await _collection.FindAsync(filter, cancellationToken: ct).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
        {
            foreach (var envelope in cursor.Current)
                yield return DocumentEnvelope.Unwrap<T>(envelope);
        }
    }

    private static FilterDefinition<BsonDocument> ById(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Filter.Eq(DocumentEnvelope.IdElement, id);
    }
}
