using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

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

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _connection.Dispose();
    }
}
