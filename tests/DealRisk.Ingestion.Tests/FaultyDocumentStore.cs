using DealRisk.Storage;

namespace DealRisk.Ingestion.Tests;

/// <summary>A real store whose writes to one collection fail while armed, as a crash at that point would leave things.</summary>
public sealed class FaultyDocumentStore(SqliteDocumentStore inner) : IDocumentStore, IAsyncDisposable
{
    private volatile string? _failing;

    public void FailWritesTo(string collection) => _failing = collection;

    public void Heal() => _failing = null;

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);

    public Task<TResult> WriteTogetherAsync<TResult>(Func<IDocumentTransaction, Task<TResult>> writes, CancellationToken ct = default) =>
        inner.WriteTogetherAsync(transaction => writes(new FaultyTransaction(transaction)), ct);

    public IBinaryCollection GetBinaryCollection(string name) => inner.GetBinaryCollection(name);

    public IBinaryLog GetBinaryLog(string name, BinaryLogSegment? segmentOf = null) => inner.GetBinaryLog(name, segmentOf);

    public Task<bool> DropCollectionAsync(string name, CancellationToken ct = default) => inner.DropCollectionAsync(name, ct);

    public IDocumentCollection<T> GetCollection<T>(string name, params string[] indexedFields) where T : class =>
        new FaultyCollection<T>(inner.GetCollection<T>(name, indexedFields), () => _failing == name, name);

    private sealed class FaultyTransaction(IDocumentTransaction inner) : IDocumentTransaction
    {
        public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync<T>(IDocumentCollection<T> collection, IReadOnlyCollection<VersionedDocument<T>> documents) where T : class =>
            inner.UpsertManyIfNewerAsync(Unwrap(collection), documents);

        public Task UpsertAsync<T>(IDocumentCollection<T> collection, string id, T document) where T : class =>
            inner.UpsertAsync(Unwrap(collection), id, document);

        public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IBinaryCollection collection, IReadOnlyCollection<BinaryRow> rows) =>
            inner.UpsertManyIfNewerAsync(collection, rows);

        private static IDocumentCollection<T> Unwrap<T>(IDocumentCollection<T> collection) where T : class
        {
            var faulty = (FaultyCollection<T>)collection;
            faulty.ThrowIfFailing();
            return faulty.Inner;
        }
    }

    private sealed class FaultyCollection<T>(IDocumentCollection<T> inner, Func<bool> failing, string name) : IDocumentCollection<T> where T : class
    {
        public IDocumentCollection<T> Inner => inner;

        public void ThrowIfFailing()
        {
            if (failing()) throw new IOException($"Injected fault: the process died before writing to '{name}'.");
        }

        public Task<T?> GetAsync(string id, CancellationToken ct = default) => inner.GetAsync(id, ct);
        public IAsyncEnumerable<T> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => inner.GetManyAsync(ids, ct);
        public IAsyncEnumerable<T> FindAsync(string field, object? value, CancellationToken ct = default) => inner.FindAsync(field, value, ct);
        public IAsyncEnumerable<T> ScanAsync(CancellationToken ct = default) => inner.ScanAsync(ct);
        public Task<long> CountAsync(string? field = null, object? value = null, CancellationToken ct = default) => inner.CountAsync(field, value, ct);

        public Task UpsertAsync(string id, T document, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.UpsertAsync(id, document, ct);
        }

        public Task<bool> UpsertIfNewerAsync(string id, long version, T document, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.UpsertIfNewerAsync(id, version, document, ct);
        }

        public Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.UpsertManyIfNewerAsync(documents, ct);
        }

        public Task<bool> InsertIfAbsentAsync(string id, T document, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.InsertIfAbsentAsync(id, document, ct);
        }

        public Task UpsertManyAsync(IReadOnlyCollection<KeyValuePair<string, T>> documents, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.UpsertManyAsync(documents, ct);
        }

        public Task<bool> DeleteAsync(string id, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.DeleteAsync(id, ct);
        }

        public Task<long> DeleteByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.DeleteByIdsAsync(ids, ct);
        }

        public Task<long> DeleteManyAsync(string field, object? value, CancellationToken ct = default)
        {
            ThrowIfFailing();
            return inner.DeleteManyAsync(field, value, ct);
        }
    }
}
