using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>The versions stored for a set of ids, read inside a session's transaction before an "if newer" write.</summary>
internal static class MongoStoredVersions
{
    private const int IdsPerQuery = 1000;
    private static readonly ProjectionDefinition<BsonDocument> VersionOnly = Builders<BsonDocument>.Projection.Include(DocumentEnvelope.VersionElement);

    /// <summary>Each of <paramref name="ids"/> that has a document, with its stored version (0 when it has none).</summary>
    public static async Task<Dictionary<string, long>> ReadAsync(
        IMongoCollection<BsonDocument> collection, IClientSessionHandle session, IEnumerable<string> ids, CancellationToken ct)
    {
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in ids.Chunk(IdsPerQuery))
        {
            using var cursor = await collection.FindAsync(session, Builders<BsonDocument>.Filter.In(DocumentEnvelope.IdElement, batch),
                new FindOptions<BsonDocument> { Projection = VersionOnly }, ct).ConfigureAwait(false);
            while (await cursor.MoveNextAsync(ct).ConfigureAwait(false))
                foreach (var found in cursor.Current)
                    stored[found[DocumentEnvelope.IdElement].AsString] = found.GetValue(DocumentEnvelope.VersionElement, 0L).ToInt64();
        }
        return stored;
    }
}
