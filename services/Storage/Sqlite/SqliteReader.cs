using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

    public SqliteReader(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        SqliteConnectionSetup.Execute(_connection, "PRAGMA query_only = 1; PRAGMA cache_size = -16384;");
    }

    /// <summary>The prepared command for this SQL, its parameters cleared for the caller to set.</summary>
    public SqliteCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }
        command = _connection.CreateCommand();
        command.CommandText = sql;
        _commands[sql] = command;
        return command;
    }

    public sqlite3 Handle => _connection.Handle!;

    /// <summary>The prepared statement for this SQL at SQLite's own level, for reads that hand out spans rather than values.</summary>
    public sqlite3_stmt Statement(string sql)
    {
        if (_statements.TryGetValue(sql, out var statement))
            return statement;
        var result = raw.sqlite3_prepare_v2(Handle, sql, out statement);
        if (result != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(result, Handle);
        _statements[sql] = statement;
        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
            statement.Dispose();
        foreach (var command in _commands.Values)
            command.Dispose();
        _connection.Dispose();
    }
}
