using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace DealRisk.Storage;

/// <summary>Turns a filter value into the BSON value the mapping writes for it, so filters match stored documents.</summary>
internal static class FilterValue
{
    public static BsonValue ToBson(object? value) => value switch
    {
        null => BsonNull.Value,
        string text => new BsonString(text),
        int number => new BsonInt32(number),
        long number => new BsonInt64(number),
        bool flag => BsonBoolean.Create(flag),
        Enum member => new BsonString(member.ToString()),
        Guid or DateTime or DateTimeOffset or DateOnly => SerializeWithMapping(value),
        _ => throw new ArgumentException(
            $"Filter values of type {value.GetType().Name} are not supported; use string, int, long, bool, an enum, Guid, DateTime, DateTimeOffset or DateOnly.",
            nameof(value)),
    };

    private static BsonValue SerializeWithMapping(object value)
    {
        var holder = new BsonDocument();
        using (var writer = new BsonDocumentWriter(holder))
        {
            writer.WriteStartDocument();
            writer.WriteName("value");
            BsonSerializer.Serialize(writer, value.GetType(), value);
            writer.WriteEndDocument();
        }
        return holder["value"];
    }
}
