using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>
/// A collection's table: its schema and its prepared write statements on the writer connection.
/// Only touched under the writer gate; every write fills every indexed column the table has.
/// </summary>
internal sealed class SqliteTable : IDisposable
{
    private readonly string _name;
    private readonly string _table;
    private volatile TopLevelElements _indexed;
    private SqliteWriteCommand? _upsert;
    private SqliteWriteCommand? _upsertIfNewer;
    private SqliteWriteCommand? _insertIfAbsent;
    private SqliteCommand? _delete;

    private SqliteTable(string name, string[] fields)
    {
        _name = name;
        _table = SqliteNames.Quote(name);
        _indexed = new TopLevelElements(fields);
        SelectByIdSql = $"SELECT doc FROM {_table} WHERE id = $id";
        SelectAllSql = $"SELECT doc FROM {_table}";
        CountAllSql = $"SELECT count(*) FROM {_table}";
    }

    /// <summary>The indexed fields the table has columns for; a new instance whenever one is added.</summary>
    public TopLevelElements Indexed => _indexed;

    public string SelectByIdSql { get; }
    public string SelectAllSql { get; }
    public string CountAllSql { get; }

    public SqliteWriteCommand Upsert => _upsert ?? throw NotPrepared();
    public SqliteWriteCommand UpsertIfNewer => _upsertIfNewer ?? throw NotPrepared();
    public SqliteWriteCommand InsertIfAbsent => _insertIfAbsent ?? throw NotPrepared();

    public static SqliteTable Open(SqliteConnection connection, string name)
    {
        var quoted = SqliteNames.Quote(name);
        string[] existing;
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = $"CREATE TABLE IF NOT EXISTS {quoted} (id TEXT PRIMARY KEY, v INTEGER NOT NULL, doc BLOB NOT NULL)";
            create.ExecuteNonQuery();
            existing = ExistingFields(connection, transaction, name);
            transaction.Commit();
        }
        var table = new SqliteTable(name, existing);
        table.PrepareStatements(connection);
        return table;
    }

    /// <summary>One statement for up to <paramref name="count"/> ids, parameters <c>$id0</c>…</summary>
    public string SelectByIdsSql(int count) =>
        $"SELECT doc FROM {_table} WHERE id IN ({string.Join(",", Enumerable.Range(0, count).Select(i => "$id" + i))})";

    public string SelectWhereSql(string field) => $"SELECT doc FROM {_table} WHERE {SqliteNames.Quote(SqliteNames.Column(field))} IS $value";

    public string DeleteWhereSql(string field) => $"DELETE FROM {_table} WHERE {SqliteNames.Quote(SqliteNames.Column(field))} IS $value";

    public string CountWhereSql(string field) => $"SELECT count(*) FROM {_table} WHERE {SqliteNames.Quote(SqliteNames.Column(field))} IS $value";

    /// <summary>
    /// Adds a column and index for each new field and fills it from the stored documents. Another process sharing the
    /// file may be adding the same columns: the columns are read again under the write lock (an immediate
    /// transaction) and only those still missing are added.
    /// </summary>
    public void EnsureIndexed(SqliteConnection connection, IReadOnlyCollection<string> fields)
    {
        if (fields.All(field => _indexed.Names.Contains(field)))
            return;

        string[] existing;
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            existing = ExistingFields(connection, transaction, _name);
            foreach (var field in fields.Where(field => !existing.Contains(field)))
                AddIndexedColumn(connection, transaction, field);
            transaction.Commit();
        }
        _indexed = new TopLevelElements([.. existing, .. fields.Where(field => !existing.Contains(field))]);
        PrepareStatements(connection);
    }

    /// <param name="transaction">The writer connection's transaction, when the delete is part of one.</param>
    public int Delete(string id, SqliteTransaction? transaction = null)
    {
        var command = _delete ?? throw NotPrepared();
        command.Transaction = transaction;
        command.Parameters["$id"].Value = id;
        return command.ExecuteNonQuery();
    }

    public void Dispose() => DisposeStatements();

    private void AddIndexedColumn(SqliteConnection connection, SqliteTransaction transaction, string field)
    {
        var column = SqliteNames.Quote(SqliteNames.Column(field));
        var index = SqliteNames.Quote($"ix:{_table.Trim('"')}:{field}");
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"ALTER TABLE {_table} ADD COLUMN {column}; " +
            $"UPDATE {_table} SET {column} = {SqliteBsonFunctions.Element}(doc, $field); " +
            $"CREATE INDEX IF NOT EXISTS {index} ON {_table} ({column});";
        command.Parameters.AddWithValue("$field", field);
        command.ExecuteNonQuery();
    }

    private void PrepareStatements(SqliteConnection connection)
    {
        DisposeStatements();
        var fields = _indexed.Names;
        var columns = string.Concat(fields.Select(f => ", " + SqliteNames.Quote(SqliteNames.Column(f))));
        var values = string.Concat(fields.Select((_, i) => ", $f" + i));
        var updates = string.Concat(fields.Select(f => $", {SqliteNames.Quote(SqliteNames.Column(f))} = excluded.{SqliteNames.Quote(SqliteNames.Column(f))}"));
        var insert = $"INSERT INTO {_table} (id, v, doc{columns}) VALUES ($id, $v, $doc{values})";
        var update = $"ON CONFLICT (id) DO UPDATE SET v = excluded.v, doc = excluded.doc{updates}";

        _upsert = new SqliteWriteCommand(connection, $"{insert} {update}", _indexed);
        _upsertIfNewer = new SqliteWriteCommand(connection, $"{insert} {update} WHERE excluded.v > {_table}.v", _indexed);
        _insertIfAbsent = new SqliteWriteCommand(connection, $"{insert} ON CONFLICT (id) DO NOTHING", _indexed);
        _delete = connection.CreateCommand();
        _delete.CommandText = $"DELETE FROM {_table} WHERE id = $id";
        _delete.Parameters.Add("$id", SqliteType.Text).Value = DBNull.Value;
        _delete.Prepare();
    }

    private void DisposeStatements()
    {
        _upsert?.Dispose();
        _upsertIfNewer?.Dispose();
        _insertIfAbsent?.Dispose();
        _delete?.Dispose();
    }

    private static string[] ExistingFields(SqliteConnection connection, SqliteTransaction transaction, string name) =>
        [.. SqliteSchema.ColumnsOf(connection, transaction, name).Where(SqliteNames.IsFieldColumn).Select(SqliteNames.FieldOf)];

    private static InvalidOperationException NotPrepared() => new("The table's statements are not prepared.");
}
