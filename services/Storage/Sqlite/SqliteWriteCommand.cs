using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

/// <summary>
/// One persistent prepared statement on the writer connection that writes a whole row. It binds through
/// the native API, not SqliteCommand, because bulk upserts run it a million times and that saves about
/// a fifth of their CPU time.
/// </summary>
internal sealed class SqliteWriteCommand : IDisposable
{
    private const int FirstValueParameter = 4;
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly TopLevelElements _indexed;

    public SqliteWriteCommand(SqliteConnection connection, string sql, TopLevelElements indexed)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The writer connection is not open.");
        _indexed = indexed;
        Check(raw.sqlite3_prepare_v3(_database, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    /// <returns>The number of rows written.</returns>
    public int Execute(SqliteRow row)
    {
        try
        {
            Check(raw.sqlite3_bind_text(_statement, 1, row.Id));
            Check(raw.sqlite3_bind_int64(_statement, 2, row.Version));
            Check(raw.sqlite3_bind_blob(_statement, 3, row.Document));
            var values = row.ValuesFor(_indexed);
            for (var i = 0; i < values.Length; i++)
                Check(Bind(FirstValueParameter + i, values[i]));
            var result = raw.sqlite3_step(_statement);
            if (result != raw.SQLITE_DONE)
                Check(result);
            return raw.sqlite3_changes(_database);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private int Bind(int parameter, object value) => value switch
    {
        string text => raw.sqlite3_bind_text(_statement, parameter, text),
        long number => raw.sqlite3_bind_int64(_statement, parameter, number),
        double number => raw.sqlite3_bind_double(_statement, parameter, number),
        DBNull => raw.sqlite3_bind_null(_statement, parameter),
        _ => throw new InvalidOperationException($"No SQLite binding for a column value of type {value.GetType().Name}."),
    };

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(result, _database);
    }
}
