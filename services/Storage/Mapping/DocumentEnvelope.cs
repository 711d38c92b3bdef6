using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace DealRisk.Storage;

/// <summary>A stored document: the mapped document's elements behind "_id" and "_v".</summary>
internal static class DocumentEnvelope
{
    public const string IdElement = "_id";
    public const string VersionElement = "_v";

    private const byte StringType = 0x02;
    private const byte Int64Type = 0x12;
    private static readonly byte[] IdName = "_id\0"u8.ToArray();
    private static readonly byte[] VersionName = "_v\0"u8.ToArray();

    public static BsonDocument Wrap<T>(string id, long version, T document) where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(document);
        var envelope = new BsonDocument { { IdElement, id }, { VersionElement, version } };
        using var writer = new BsonDocumentWriter(envelope);
        BsonSerializer.Serialize(writer, document);
        return envelope;
    }

    /// <summary>
    /// The same bytes as <c>Wrap(...).ToBson()</c>, without building a BsonDocument: the document's own
    /// bytes with the two elements spliced in front, which is several times faster for bulk writes.
    /// </summary>
    public static byte[] WrapToBson<T>(string id, long version, T document) where T : class
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(document);
        var body = document.ToBson();
        var idLength = Encoding.UTF8.GetByteCount(id);
        var headerLength = 4 + (1 + IdName.Length + 4 + idLength + 1) + (1 + VersionName.Length + 8);
        var envelope = new byte[headerLength + body.Length - 4];
        var span = envelope.AsSpan();

        BinaryPrimitives.WriteInt32LittleEndian(span, envelope.Length);
        var at = 4;
        span[at++] = StringType;
        IdName.CopyTo(span[at..]);
        at += IdName.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], idLength + 1);
        at += 4;
        at += Encoding.UTF8.GetBytes(id, span[at..]);
        span[at++] = 0;
        span[at++] = Int64Type;
        VersionName.CopyTo(span[at..]);
        at += VersionName.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], version);
        body.AsSpan(4).CopyTo(span[headerLength..]);
        return envelope;
    }

    public static T Unwrap<T>(BsonDocument envelope) => BsonSerializer.Deserialize<T>(envelope);

    public static T Unwrap<T>(byte[] envelope) => BsonSerializer.Deserialize<T>(envelope);
}
