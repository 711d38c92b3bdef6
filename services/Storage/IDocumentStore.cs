namespace DealRisk.Storage;

public interface IDocumentStore
{
    /// <param name="name">The collection (MongoDB) or table (SQLite).</param>
    /// <param name="indexedFields">Top-level element names that FindAsync and CountAsync may filter on.</param>
    IDocumentCollection<T> GetCollection<T>(string name, params string[] indexedFields) where T : class;

    /// <param name="name">The collection (MongoDB) or table (SQLite); shares the names of <see cref="GetCollection{T}"/>, so use one not used for documents.</param>
    IBinaryCollection GetBinaryCollection(string name);

    /// <param name="name">
    /// Names the log's entries and heads, stored as the collections (MongoDB) or tables (SQLite) <c>{name}-entries</c>
    /// and <c>{name}-heads</c>; use a name no other collection starts with.
    /// </param>
    /// <param name="segmentOf">Where each entry is stored (<see cref="BinaryLogSegment"/>); null: all in one. Every opening of one log names the same.</param>
    IBinaryLog GetBinaryLog(string name, BinaryLogSegment? segmentOf = null);

    /// <summary>
    /// Drops a collection of documents or binary rows with everything in it (an upgrade retiring data nothing reads any
    /// more); returns whether it was there. Collection objects opened on it before must not be used afterwards.
    /// </summary>
    Task<bool> DropCollectionAsync(string name, CancellationToken ct = default);

    /// <summary>Reads from the store (its schema on SQLite, a ping on MongoDB); throws when it cannot be used.</summary>
    Task PingAsync(CancellationToken ct = default);

    /// <summary>
    /// Runs <paramref name="writes"/> as one transaction across this store's collections: every write is stored or, when
    /// anything throws, none (one SQLite transaction; a session transaction on a MongoDB replica set, which the driver
    /// may run again on a transient conflict, so <paramref name="writes"/> must be safe to repeat).
    /// </summary>
    Task<TResult> WriteTogetherAsync<TResult>(Func<IDocumentTransaction, Task<TResult>> writes, CancellationToken ct = default);
}
