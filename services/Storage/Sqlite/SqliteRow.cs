namespace DealRisk.Storage;

/// <summary>
/// A document serialized outside the write lock, with its indexed column values read for the table's
/// indexed elements at that time; should the table gain a field before the write, they are read again.
/// </summary>
internal sealed class SqliteRow
{
    private readonly TopLevelElements _indexed;
    private readonly object[] _values;

    private SqliteRow(string id, long version, byte[] document, TopLevelElements indexed)
    {
        Id = id;
        Version = version;
        Document = document;
        _indexed = indexed;
        _values = ColumnValues(document, indexed);
    }

    public string Id { get; }
    public long Version { get; }
    public byte[] Document { get; }

    public static SqliteRow Create<T>(string id, long version, T document, TopLevelElements indexed) where T : class =>
        new(id, version, DocumentSizeLimit.Ensure(id, DocumentEnvelope.WrapToBson(id, version, document)), indexed);

    public object[] ValuesFor(TopLevelElements indexed) =>
        ReferenceEquals(indexed, _indexed) ? _values : ColumnValues(Document, indexed);

    private static object[] ColumnValues(byte[] document, TopLevelElements indexed)
    {
        var bson = indexed.Read(document);
        var values = new object[bson.Length];
        for (var i = 0; i < bson.Length; i++)
            values[i] = SqliteValue.From(bson[i], indexed.Names[i]);
        return values;
    }
}
