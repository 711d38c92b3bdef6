using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>Lets SQL read an element of a stored document, to fill a column for a newly indexed field.</summary>
internal static class SqliteBsonFunctions
{
    public const string Element = "dealrisk_bson_element";

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<byte[], string, object>(Element, ReadElement, isDeterministic: true);

    private static object ReadElement(byte[] document, string field) =>
        SqliteValue.From(new TopLevelElements([field]).Read(document)[0], field);
}
