using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>Writes in the session transaction <see cref="MongoDocumentStore.WriteTogetherAsync{TResult}"/> runs.</summary>
internal sealed class MongoDocumentTransaction(IClientSessionHandle session, CancellationToken ct) : IDocumentTransaction
{
    public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync<T>(IDocumentCollection<T> collection, IReadOnlyCollection<VersionedDocument<T>> documents) where T : class
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Own(collection).UpsertManyIfNewerAsync(session, documents, ct);
    }

    public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IBinaryCollection collection, IReadOnlyCollection<BinaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var own = collection is MongoBinaryCollection binary && binary.Client == session.Client
            ? binary
            : throw new ArgumentException("A transaction writes only to collections of the store that runs it.", nameof(collection));
        return own.UpsertManyIfNewerAsync(session, rows, ct);
    }

    public Task UpsertAsync<T>(IDocumentCollection<T> collection, string id, T document) where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        return Own(collection).UpsertAsync(session, id, document, ct);
    }

    private MongoDocumentCollection<T> Own<T>(IDocumentCollection<T> collection) where T : class =>
        collection is MongoDocumentCollection<T> own && own.Client == session.Client
            ? own
            : throw new ArgumentException("A transaction writes only to collections of the store that runs it.", nameof(collection));
}
