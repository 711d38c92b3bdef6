namespace DealRisk.Storage;

/// <summary>Identifiers that go into SQL text; only names built here are ever spliced in.</summary>
internal static class SqliteNames
{
    public static string Table(string collectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(collectionName);
        var table = collectionName.Replace('-', '_');
        if (!table.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ArgumentException(
                $"Collection name '{collectionName}' may contain only letters, digits, underscores and dashes.", nameof(collectionName));
        if (table.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Collection name '{collectionName}' is reserved by SQLite.", nameof(collectionName));
        return table;
    }

    public static string Column(string field) => "f_" + field;

    public static string FieldOf(string column) => column["f_".Length..];

    public static bool IsFieldColumn(string column) => column.StartsWith("f_", StringComparison.Ordinal);

    public static string Quote(string identifier) => "\"" + identifier + "\"";
}
