using MongoDB.Bson;

namespace DealRisk.Storage;

/// <summary>
/// The SQLite column value of a BSON value. Filter values and stored values both pass through
/// here, so equal BSON values land on equal column values.
/// </summary>
internal static class SqliteValue
{
    public static object From(BsonValue value, string field) => value.BsonType switch
    {
        BsonType.Null or BsonType.Undefined => DBNull.Value,
        BsonType.String => value.AsString,
        BsonType.Int32 => (long)value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Double => value.AsDouble,
        BsonType.Decimal128 => (double)value.AsDecimal128,
        BsonType.Boolean => value.AsBoolean ? 1L : 0L,
        BsonType.DateTime => value.AsBsonDateTime.MillisecondsSinceEpoch,
        BsonType.ObjectId => value.AsObjectId.ToString(),
        BsonType.Binary when value.AsBsonBinaryData.SubType == BsonBinarySubType.UuidStandard
            => value.AsBsonBinaryData.ToGuid(GuidRepresentation.Standard).ToString("D"),
        _ => throw new NotSupportedException(
            $"Indexed field '{field}' holds a {value.BsonType}; only scalar fields can be indexed."),
    };
}
