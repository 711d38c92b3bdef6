namespace DealRisk.Storage;

public interface IDocumentCollection<T> where T : class
{
    Task<T?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>The stored documents among these ids, in no particular order; ids with no document are left out.</summary>
    IAsyncEnumerable<T> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Writes the document unconditionally with version 0.</summary>
    Task UpsertAsync(string id, T document, CancellationToken ct = default);

    /// <summary>Writes only when no document is stored or the stored version is lower; returns whether it wrote.</summary>
    Task<bool> UpsertIfNewerAsync(string id, long version, T document, CancellationToken ct = default);

    /// <summary>
    /// <see cref="UpsertIfNewerAsync"/> for many documents at once (one transaction on SQLite); returns the ids it wrote.
    /// </summary>
    Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct = default);

    /// <summary>Returns true only for the first caller, also under concurrency (dedupe receipts, exactly-once claims).</summary>
    Task<bool> InsertIfAbsentAsync(string id, T document, CancellationToken ct = default);

    /// <summary>Upserts all documents with version 0 in one transaction (SQLite) or one unordered bulk write (MongoDB).</summary>
    Task UpsertManyAsync(IReadOnlyCollection<KeyValuePair<string, T>> documents, CancellationToken ct = default);

    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// Deletes the documents stored under these ids (an id with none is skipped) in one transaction (SQLite) or one
    /// statement per thousand ids (MongoDB); returns how many it deleted.
    /// </summary>
    Task<long> DeleteByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Deletes every document whose field (declared as indexed) equals the value, in one statement; returns how many.</summary>
    Task<long> DeleteManyAsync(string field, object? value, CancellationToken ct = default);

    /// <summary>Equality on a field declared as indexed; a null value matches null and missing fields.</summary>
    IAsyncEnumerable<T> FindAsync(string field, object? value, CancellationToken ct = default);

    IAsyncEnumerable<T> ScanAsync(CancellationToken ct = default);

    Task<long> CountAsync(string? field = null, object? value = null, CancellationToken ct = default);
}

/// <summary>A document with the id and version it is stored under.</summary>
public sealed record VersionedDocument<T>(string Id, long Version, T Document) where T : class;
