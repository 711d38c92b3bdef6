using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>Writes on the writer connection while <see cref="SqliteDocumentStore.WriteTogetherAsync{TResult}"/> holds its transaction.</summary>
internal sealed class SqliteDocumentTransaction(SqliteWriter writer, SqliteTransaction transaction, CancellationToken ct) : IDocumentTransaction
{
    public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync<T>(IDocumentCollection<T> collection, IReadOnlyCollection<VersionedDocument<T>> documents) where T : class
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Task.FromResult(documents.Count == 0 ? new HashSet<string>() : Own(collection).WriteNewerInTransaction(documents, ct));
    }

    public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IBinaryCollection collection, IReadOnlyCollection<BinaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ct.ThrowIfCancellationRequested();
        var own = collection is SqliteBinaryCollection binary && binary.Writer == writer
            ? binary
            : throw new ArgumentException("A transaction writes only to collections of the store that runs it.", nameof(collection));
        return Task.FromResult(own.WriteNewerInTransaction(transaction, rows));
    }

    public Task UpsertAsync<T>(IDocumentCollection<T> collection, string id, T document) where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        ct.ThrowIfCancellationRequested();
        Own(collection).UpsertInTransaction(id, document);
        return Task.CompletedTask;
    }

    private SqliteDocumentCollection<T> Own<T>(IDocumentCollection<T> collection) where T : class =>
        collection is SqliteDocumentCollection<T> own && own.Writer == writer
            ? own
            : throw new ArgumentException("A transaction writes only to collections of the store that runs it.", nameof(collection));
}
