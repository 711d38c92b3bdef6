using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>Writes on the writer connection while <see cref="SqliteDocumentStore.WriteTogetherAsync{TResult}"/> holds its transaction.</summary>
internal sealed class SqliteDocumentTransaction(SqliteWriter writer, SqliteTransaction transaction, CancellationToken ct) : IDocumentTransaction
{
    public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync<T>(IDocumentCollection<T> collection, IReadOnlyCollection<VersionedDocument<T>> documents) where T : class
    {
        ArgumentNullException.ThrowIfNull(documents);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Own(collection).WriteNewerInTransaction(documents, ct));
    }

    public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IBinaryCollection collection, IReadOnlyCollection<BinaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Own(collection).WriteNewerInTransaction(transaction, rows));
    }

    public Task UpsertAsync<T>(IDocumentCollection<T> collection, string id, T document) where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        ct.ThrowIfCancellationRequested();
        Own(collection).UpsertInTransaction(id, document);
        return Task.CompletedTask;
    }

    private SqliteDocumentCollection<T> Own<T>(IDocumentCollection<T> collection) where T : class =>
        collection is SqliteDocumentCollection<T> own && own.Writer == writer ? own : throw Foreign(nameof(collection));

    private SqliteBinaryCollection Own(IBinaryCollection collection) =>
        collection is SqliteBinaryCollection own && own.Writer == writer ? own : throw Foreign(nameof(collection));

    private static ArgumentException Foreign(string parameter) =>
        new("A transaction writes only to collections of the store that runs it.", parameter);
}
