namespace DealRisk.Storage;

/// <summary>
/// Rows of typed columns (id, version, payload bytes) whose payload the caller encodes itself: for per-deal data the
/// batch reads or writes thousands at a time, where decoding a document per row would cost more than the work.
/// A SQLite table clustered by id (no BSON); on MongoDB a document per row with the payload as BinData.
/// </summary>
public interface IBinaryCollection
{
    Task<BinaryRow?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>The stored rows among these ids in ascending id order (UTF-8 bytes); ids with no row are left out.</summary>
    IAsyncEnumerable<BinaryRow> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>
    /// Hands <paramref name="read"/> each stored row among <paramref name="ids"/> (distinct, in ascending UTF-8 order, or
    /// <see cref="ArgumentException"/>) in that order, with the position of its id in the list; ids with no row are left out.
    /// The payload span is valid only during the call, so a bulk read need not allocate per row.
    /// </summary>
    Task ReadManyAsync(IReadOnlyList<string> ids, BinaryRowReader read, CancellationToken ct = default);

    /// <summary>Every row in ascending id order (UTF-8 bytes).</summary>
    IAsyncEnumerable<BinaryRow> ScanAsync(CancellationToken ct = default);

    /// <summary>
    /// Every row in ascending id order (UTF-8 bytes), decoded by <paramref name="decode"/> from spans valid only during
    /// the call, and only what it decodes a row to: a row it skips (null) costs no allocation, nor does the one it reads.
    /// </summary>
    IAsyncEnumerable<T> ScanAsync<T>(BinaryRowDecoder<T> decode, CancellationToken ct = default) where T : class;

    /// <summary>Writes only when no row is stored under its id or the stored version is lower; returns whether it wrote.</summary>
    Task<bool> UpsertIfNewerAsync(BinaryRow row, CancellationToken ct = default);

    /// <summary>
    /// <see cref="UpsertIfNewerAsync"/> for many rows in one transaction (a failure part-way writes none); of several rows
    /// under one id the newest counts. Returns the ids it wrote.
    /// </summary>
    Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<BinaryRow> rows, CancellationToken ct = default);

    /// <summary>Writes every row whatever is stored (bulk loads), in one transaction; of several rows under one id the last wins.</summary>
    Task UpsertManyAsync(IReadOnlyCollection<BinaryRow> rows, CancellationToken ct = default);

    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    Task<long> CountAsync(CancellationToken ct = default);
}

/// <summary>One row of <see cref="IBinaryCollection.ReadManyAsync"/>: the position of its id in the ids asked for, its version and payload.</summary>
public delegate void BinaryRowReader(int index, long version, ReadOnlySpan<byte> payload);

/// <summary>One row of an <see cref="IBinaryCollection"/>.</summary>
public sealed record BinaryRow(string Id, long Version, byte[] Payload);

/// <summary>One row of <see cref="IBinaryCollection.ScanAsync{T}"/>: its id as UTF-8, version and payload; null skips it.</summary>
public delegate T? BinaryRowDecoder<out T>(ReadOnlySpan<byte> utf8Id, long version, ReadOnlySpan<byte> payload) where T : class;
