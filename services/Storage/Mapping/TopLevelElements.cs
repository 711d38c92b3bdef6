using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace DealRisk.Storage;

/// <summary>
/// Reads chosen top-level elements straight from BSON bytes. Bulk writes call this for every document,
/// so it walks the bytes and skips other elements by their size instead of deserializing them.
/// </summary>
internal sealed class TopLevelElements
{
    private readonly byte[][] _utf8Names;

    public TopLevelElements(IReadOnlyList<string> names)
    {
        Names = names;
        _utf8Names = names.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public IReadOnlyList<string> Names { get; }

    /// <returns>The values in the order of <see cref="Names"/>; BsonNull for a missing element.</returns>
    public BsonValue[] Read(byte[] bson)
    {
        var values = new BsonValue[Names.Count];
        Array.Fill(values, BsonNull.Value);
        var found = 0;
        var at = 4;
        while (found < values.Length && bson[at] != 0)
        {
            var type = (BsonType)bson[at++];
            var nameLength = bson.AsSpan(at).IndexOf((byte)0);
            var index = IndexOf(bson.AsSpan(at, nameLength));
            at += nameLength + 1;
            var size = ValueSize(type, bson.AsSpan(at));
            if (index >= 0)
            {
                values[index] = ReadValue(type, bson, at, size, Names[index]);
                found++;
            }
            at += size;
        }
        return values;
    }

    private int IndexOf(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _utf8Names.Length; i++)
        {
            if (name.SequenceEqual(_utf8Names[i]))
                return i;
        }
        return -1;
    }

    private static BsonValue ReadValue(BsonType type, byte[] bson, int at, int size, string name)
    {
        var value = bson.AsSpan(at, size);
        return type switch
        {
            BsonType.String => new BsonString(Encoding.UTF8.GetString(value[4..^1])),
            BsonType.Int32 => new BsonInt32(BinaryPrimitives.ReadInt32LittleEndian(value)),
            BsonType.Int64 => new BsonInt64(BinaryPrimitives.ReadInt64LittleEndian(value)),
            BsonType.Double => new BsonDouble(BinaryPrimitives.ReadDoubleLittleEndian(value)),
            BsonType.Boolean => BsonBoolean.Create(value[0] != 0),
            BsonType.DateTime => new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(value)),
            BsonType.Null or BsonType.Undefined => BsonNull.Value,
            BsonType.Binary => new BsonBinaryData(value[5..].ToArray(), (BsonBinarySubType)value[4]),
            BsonType.Decimal128 => new BsonDecimal128(Decimal128.FromIEEEBits(
                BinaryPrimitives.ReadUInt64LittleEndian(value[8..]), BinaryPrimitives.ReadUInt64LittleEndian(value))),
            BsonType.ObjectId => new BsonObjectId(new ObjectId(value.ToArray())),
            _ => ReadSlowly(bson, name),
        };
    }

    private static BsonValue ReadSlowly(byte[] bson, string name) => BsonSerializer.Deserialize<BsonDocument>(bson)[name];

    private static int ValueSize(BsonType type, ReadOnlySpan<byte> value) => type switch
    {
        BsonType.Double or BsonType.DateTime or BsonType.Int64 or BsonType.Timestamp => 8,
        BsonType.String or BsonType.JavaScript or BsonType.Symbol => 4 + BinaryPrimitives.ReadInt32LittleEndian(value),
        BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope => BinaryPrimitives.ReadInt32LittleEndian(value),
        BsonType.Binary => 4 + 1 + BinaryPrimitives.ReadInt32LittleEndian(value),
        BsonType.Undefined or BsonType.Null or BsonType.MinKey or BsonType.MaxKey => 0,
        BsonType.ObjectId => 12,
        BsonType.Boolean => 1,
        BsonType.RegularExpression => CStringSize(value) + CStringSize(value[CStringSize(value)..]),
        BsonType.Int32 => 4,
        BsonType.Decimal128 => 16,
        _ => throw new FormatException($"Unexpected BSON element type 0x{(byte)type:x2}."),
    };

    private static int CStringSize(ReadOnlySpan<byte> value) => value.IndexOf((byte)0) + 1;
}
