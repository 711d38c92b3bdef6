using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace DealRisk.Storage;

/// <summary>A stored document: the mapped document's elements behind "_id" and "_v".</summary>
internal static class DocumentEnvelope
{
    public const string IdElement = "_id";
    public const string VersionElement = "_v";

    public static BsonDocument Wrap<T>(string id, long version, T document) where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(document);
        var envelope = new BsonDocument { { IdElement, id }, { VersionElement, version } };
        using var writer = new BsonDocumentWriter(envelope);
        BsonSerializer.Serialize(writer, document);
        return envelope;
    }

    public static T Unwrap<T>(BsonDocument envelope) => BsonSerializer.Deserialize<T>(envelope);

    public static T Unwrap<T>(byte[] envelope) => BsonSerializer.Deserialize<T>(envelope);
}
