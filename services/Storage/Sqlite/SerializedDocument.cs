using MongoDB.Bson;

namespace DealRisk.Storage;

/// <summary>A document serialized outside the write lock, ready to bind.</summary>
internal readonly record struct SerializedDocument(string Id, long Version, BsonDocument Envelope, byte[] Bytes)
{
    public static SerializedDocument Create<T>(string id, long version, T document) where T : class
    {
        var envelope = DocumentEnvelope.Wrap(id, version, document);
        return new SerializedDocument(id, version, envelope, envelope.ToBson());
    }
}
