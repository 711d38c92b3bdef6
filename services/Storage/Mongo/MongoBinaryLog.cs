using System.Runtime.CompilerServices;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>
/// An <see cref="IBinaryLog"/> on MongoDB: entries as { _id: "key|id", k, p, bin: BinData } indexed on k and p, heads as
/// { _id: key, _v, p, bin: BinData } indexed on p. An append is one session transaction, as
/// <see cref="MongoBinaryCollection"/> writes its conditional rows.
/// </summary>
internal sealed class MongoBinaryLog : IBinaryLog
{
    private const string KeyElement = "k";
    private const string IdInKeyElement = "i";
    private const string PartitionElement = "p";
    private const string PayloadElement = "bin";
    private const int ReadBatchSize = 1000;
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly BulkWriteOptions Unordered = new() { IsOrdered = false };

    private readonly IMongoCollection<BsonDocument> _entries;
    private readonly IMongoCollection<BsonDocument> _heads;
    private readonly WriteFaults _faults;

    private MongoBinaryLog(IMongoCollection<BsonDocument> entries, IMongoCollection<BsonDocument> heads, WriteFaults faults)
    {
        _entries = entries;
        _heads = heads;
        _faults = faults;
    }

    public static MongoBinaryLog Open(IMongoDatabase database, string name, WriteFaults faults)
    {
        var (entries, heads) = (database.GetCollection<BsonDocument>(name + "-entries"), database.GetCollection<BsonDocument>(name + "-heads"));
        CreateIndexes(entries, KeyElement, PartitionElement);
        CreateIndexes(heads, PartitionElement);
        return new MongoBinaryLog(entries, heads, faults);
    }

    public async Task<IReadOnlyList<BinaryLogHead>> ReadHeadsAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new List<BinaryLogHead>(keys.Count);
        foreach (var batch in keys.Distinct(StringComparer.Ordinal).Chunk(ReadBatchSize))
        {
            using var cursor = await _heads.FindAsync(Filter.In(DocumentEnvelope.IdElement, batch), cancellationToken: ct).ConfigureAwait(false);
            while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
                found.AddRange(cursor.Current.Select(Head));
        }
        return found;
    }

    public async Task ReadHeadsAsync(IReadOnlyCollection<string> keys, BinaryLogHeadReader read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        foreach (var head in await ReadHeadsAsync(keys, ct).ConfigureAwait(false))
            read(head.Key, head.Revision, Encoding.UTF8.GetBytes(head.Partition), head.Payload);
    }

    /// <summary>
    /// The stored revisions are read and only the newer heads written, then the entries of their keys, in one
    /// transaction: a failure part-way writes nothing, and a concurrent writer makes it conflict and the driver run it again.
    /// </summary>
    public async Task<IReadOnlySet<string>> AppendAsync(IReadOnlyCollection<BinaryLogEntry> entries, IReadOnlyCollection<BinaryLogHead> heads, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(heads);
        foreach (var entry in entries) BinaryLogChecks.Check(entry);
        foreach (var head in heads) BinaryLogChecks.Check(head);
        var newest = BinaryLogChecks.NewestPerKey(heads);
        if (newest.Count == 0)
            return new HashSet<string>();
        using var session = await _heads.Database.Client.StartSessionAsync(cancellationToken: ct).ConfigureAwait(false);
        return await session.WithTransactionAsync(async (s, token) =>
        {
            var stored = await MongoStoredVersions.ReadAsync(_heads, s, newest.Select(head => head.Key), token).ConfigureAwait(false);
            var newer = newest.Where(head => !stored.TryGetValue(head.Key, out var revision) || revision < head.Revision).ToList();
            var written = newer.Select(head => head.Key).ToHashSet(StringComparer.Ordinal);
            if (newer.Count > 0)
            {
                await _heads.BulkWriteAsync(s, newer.Select(head => new ReplaceOneModel<BsonDocument>(
                    Filter.Eq(DocumentEnvelope.IdElement, head.Key) & Filter.Lt(DocumentEnvelope.VersionElement, head.Revision),
                    Document(head)) { IsUpsert = true }), Unordered, token).ConfigureAwait(false);
                var theirs = entries.Where(entry => written.Contains(entry.Key)).ToList();
                if (theirs.Count > 0)
                    await _entries.BulkWriteAsync(s, Replacements(theirs), Unordered, token).ConfigureAwait(false);
            }
            _faults.AfterBulkWrite();
            return (IReadOnlySet<string>)written;
        }, cancellationToken: ct).ConfigureAwait(false);
    }

    public async Task InsertAsync(IReadOnlyCollection<BinaryLogEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries) BinaryLogChecks.Check(entry);
        if (entries.Count == 0)
            return;
        await _entries.BulkWriteAsync(Replacements(entries), Unordered, cancellationToken: ct).ConfigureAwait(false);
        _faults.AfterBulkWrite();
    }

    public async IAsyncEnumerable<BinaryLogEntry> ReadAsync(string key, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var cursor = await _entries.FindAsync(Filter.Eq(KeyElement, key), cancellationToken: ct).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
            foreach (var found in cursor.Current)
                yield return Entry(found);
    }

    public async Task<long> DeletePartitionAsync(string partition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var deleted = await _entries.DeleteManyAsync(Filter.Eq(PartitionElement, partition), ct).ConfigureAwait(false);
        await _heads.DeleteManyAsync(Filter.Eq(PartitionElement, partition), ct).ConfigureAwait(false);
        return deleted.DeletedCount;
    }

    public Task<long> CountAsync(string? key = null, CancellationToken ct = default) =>
        _entries.CountDocumentsAsync(key is null ? Filter.Empty : Filter.Eq(KeyElement, key), cancellationToken: ct);

    private static IEnumerable<WriteModel<BsonDocument>> Replacements(IEnumerable<BinaryLogEntry> entries)
    {
        // Of repeated (key, id) pairs the last wins, as the SQLite adapter's statements in order leave it.
        var last = new Dictionary<string, BinaryLogEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
            last[StoredId(entry)] = entry;
        return last.Select(pair => new ReplaceOneModel<BsonDocument>(Filter.Eq(DocumentEnvelope.IdElement, pair.Key), Document(pair.Key, pair.Value)) { IsUpsert = true });
    }

    /// <summary>The key and the id joined by a character neither holds in practice; the id is also kept on its own, so nothing is parsed back.</summary>
    private static string StoredId(BinaryLogEntry entry) => entry.Key + "\u001f" + entry.Id;

    private static BsonDocument Document(string storedId, BinaryLogEntry entry) => new()
    {
        { DocumentEnvelope.IdElement, storedId },
        { KeyElement, entry.Key },
        { IdInKeyElement, entry.Id },
        { PartitionElement, entry.Partition },
        { PayloadElement, new BsonBinaryData(entry.Payload) },
    };

    private static BsonDocument Document(BinaryLogHead head) => new()
    {
        { DocumentEnvelope.IdElement, head.Key },
        { DocumentEnvelope.VersionElement, head.Revision },
        { PartitionElement, head.Partition },
        { PayloadElement, new BsonBinaryData(head.Payload) },
    };

    private static BinaryLogEntry Entry(BsonDocument found) => new(
        found[KeyElement].AsString, found[IdInKeyElement].AsString, found[PartitionElement].AsString, found[PayloadElement].AsByteArray);

    private static BinaryLogHead Head(BsonDocument found) => new(
        found[DocumentEnvelope.IdElement].AsString, found[PartitionElement].AsString,
        found.GetValue(DocumentEnvelope.VersionElement, 0L).ToInt64(), found[PayloadElement].AsByteArray);

    private static void CreateIndexes(IMongoCollection<BsonDocument> collection, params string[] fields)
    {
        try
        {
            collection.Indexes.CreateMany(fields.Select(field => new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending(field))));
        }
        catch (MongoCommandException e) when (MongoErrors.IsIndexAlreadyThere(e))
        {
            // Another replica created the same index first: it exists, which is all we need.
        }
    }
}
