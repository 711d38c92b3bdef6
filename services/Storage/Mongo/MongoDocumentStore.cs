using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>Documents in a MongoDB database: a collection per name, an ascending index per indexed field.</summary>
public sealed class MongoDocumentStore : IDocumentStore
{
    private readonly IMongoDatabase _database;
    private readonly ConcurrentDictionary<(string Collection, string Field), bool> _indexed = new();

    public MongoDocumentStore(IMongoDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        DocumentMapping.Register();
        _database = database;
    }

    public string DatabaseName => _database.DatabaseNamespace.DatabaseName;

    internal WriteFaults Faults { get; } = new();

    public IDocumentCollection<T> GetCollection<T>(string name, params string[] indexedFields) where T : class
    {
        CollectionNames.EnsureValid(name);
        var fields = new IndexedFields(indexedFields);
        var collection = _database.GetCollection<BsonDocument>(name);
        EnsureIndexes(collection, name, fields);
        return new MongoDocumentCollection<T>(collection, fields, Faults);
    }

    public IBinaryCollection GetBinaryCollection(string name)
    {
        CollectionNames.EnsureValid(name);
        return new MongoBinaryCollection(_database.GetCollection<BsonDocument>(name), Faults);
    }

    /// <summary>The entries are indexed by key, so <paramref name="segmentOf"/> changes nothing here.</summary>
    public IBinaryLog GetBinaryLog(string name, BinaryLogSegment? segmentOf = null)
    {
        CollectionNames.EnsureValid(name + "-entries");
        return MongoBinaryLog.Open(_database, name, Faults);
    }

    public async Task<bool> DropCollectionAsync(string name, CancellationToken ct = default)
    {
        CollectionNames.EnsureValid(name);
        var named = new ListCollectionNamesOptions { Filter = new BsonDocument("name", name) };
        using var found = await _database.ListCollectionNamesAsync(named, ct).ConfigureAwait(false);
        if (!await found.AnyAsync(ct).ConfigureAwait(false))
            return false;
        // Another replica dropping it at the same moment is fine: the driver ignores a drop of a collection that is gone.
        await _database.DropCollectionAsync(name, ct).ConfigureAwait(false);
        foreach (var key in _indexed.Keys.Where(key => key.Collection == name))
            _indexed.TryRemove(key, out _);
        return true;
    }

    public Task PingAsync(CancellationToken ct = default) =>
        _database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);

    public async Task<TResult> WriteTogetherAsync<TResult>(Func<IDocumentTransaction, Task<TResult>> writes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        using var session = await _database.Client.StartSessionAsync(cancellationToken: ct).ConfigureAwait(false);
        return await session.WithTransactionAsync(async (s, token) =>
        {
            var result = await writes(new MongoDocumentTransaction(s, token)).ConfigureAwait(false);
            Faults.AfterBulkWrite();
            return result;
        }, cancellationToken: ct).ConfigureAwait(false);
    }

    private void EnsureIndexes(IMongoCollection<BsonDocument> collection, string name, IndexedFields fields)
    {
        var missing = fields.Names.Where(field => !_indexed.ContainsKey((name, field))).ToList();
        if (missing.Count == 0)
            return;
        try
        {
            collection.Indexes.CreateMany(missing.Select(field =>
                new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending(field))));
        }
        catch (MongoCommandException e) when (MongoErrors.IsIndexAlreadyThere(e))
        {
            // Another replica created the same index (under another name or options) first: it exists, which is all we need.
        }
        foreach (var field in missing)
            _indexed.TryAdd((name, field), true);
    }
}
