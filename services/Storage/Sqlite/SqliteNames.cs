namespace DealRisk.Storage;

/// <summary>Identifiers that go into SQL text; only names built here are ever spliced in.</summary>
internal static class SqliteNames
{
    public static string Table(string collectionName)
    {
        CollectionNames.EnsureValid(collectionName);
        return collectionName.Replace('-', '_');
    }

    public static string Column(string field) => "f_" + field;

    public static string FieldOf(string column) => column["f_".Length..];

    public static bool IsFieldColumn(string column) => column.StartsWith("f_", StringComparison.Ordinal);

    public static string Quote(string identifier) => "\"" + identifier + "\"";
}
