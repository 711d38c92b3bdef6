namespace DealRisk.Storage;

/// <summary>
/// Append-only binary entries grouped by a key (a key's entries are read together) and filed under a partition (whole
/// partitions are deleted at once), with each key's newest entry kept as its head: heads are read in bulk and written
/// only by a writer that saw the stored one, together with that writer's entries. The caller encodes the payloads.
/// Typed columns and no BSON on SQLite; BinData documents with key and partition indexes on MongoDB.
/// </summary>
public interface IBinaryLog
{
    /// <summary>The heads stored for these keys, in one read; keys with none are left out.</summary>
    Task<IReadOnlyList<BinaryLogHead>> ReadHeadsAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default);

    /// <summary>
    /// The same read, each head handed to <paramref name="read"/> with spans valid only during the call, so a bulk read
    /// of heads the caller decodes at once need not copy them.
    /// </summary>
    Task ReadHeadsAsync(IReadOnlyCollection<string> keys, BinaryLogHeadReader read, CancellationToken ct = default);

    /// <summary>
    /// In one transaction: writes each head whose key has no stored head or one of a lower revision (of several heads
    /// of one key the highest revision counts), and the entries of exactly the keys whose head it wrote (an entry
    /// already stored under its key and id is replaced). A failure writes nothing. Returns the keys it wrote.
    /// </summary>
    Task<IReadOnlySet<string>> AppendAsync(IReadOnlyCollection<BinaryLogEntry> entries, IReadOnlyCollection<BinaryLogHead> heads, CancellationToken ct = default);

    /// <summary>Writes entries without touching any head (an entry older than its key's head), replacing one stored under the same key and id.</summary>
    Task InsertAsync(IReadOnlyCollection<BinaryLogEntry> entries, CancellationToken ct = default);

    /// <summary>One key's entries, in no particular order.</summary>
    IAsyncEnumerable<BinaryLogEntry> ReadAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes the entries and the heads filed under this partition; returns how many entries it deleted.</summary>
    Task<long> DeletePartitionAsync(string partition, CancellationToken ct = default);

    /// <summary>How many entries are stored, all of them or one key's.</summary>
    Task<long> CountAsync(string? key = null, CancellationToken ct = default);
}

/// <summary>
/// The segment an entry of an <see cref="IBinaryLog"/> is stored in, a function of its id alone. On SQLite a segment's
/// entries are stored together in key order and a key's entries are read one segment at a time, so a bulk append of one
/// segment writes in one place, however many entries each key already holds in others; the score history's segment is
/// the day of the score. MongoDB indexes entries by key and ignores it.
/// </summary>
public delegate long BinaryLogSegment(string id);

/// <summary>One entry of an <see cref="IBinaryLog"/>: <see cref="Id"/> is unique within its <see cref="Key"/>.</summary>
public sealed record BinaryLogEntry(string Key, string Id, string Partition, byte[] Payload);

/// <summary>A key's newest entry in an <see cref="IBinaryLog"/>, with the revision its conditional write compares.</summary>
public sealed record BinaryLogHead(string Key, string Partition, long Revision, byte[] Payload);

/// <summary>One head of <see cref="IBinaryLog.ReadHeadsAsync(IReadOnlyCollection{string}, BinaryLogHeadReader, CancellationToken)"/>: its key, revision, partition (UTF-8) and payload.</summary>
public delegate void BinaryLogHeadReader(string key, long revision, ReadOnlySpan<byte> utf8Partition, ReadOnlySpan<byte> payload);
