using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>One prepared statement on the writer connection that writes a whole row.</summary>
internal sealed class SqliteWriteCommand : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly TopLevelElements _indexed;
    private readonly SqliteParameter _id;
    private readonly SqliteParameter _version;
    private readonly SqliteParameter _document;
    private readonly SqliteParameter[] _values;

    public SqliteWriteCommand(SqliteConnection connection, string sql, TopLevelElements indexed)
    {
        _indexed = indexed;
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _id = _command.Parameters.Add("$id", SqliteType.Text);
        _version = _command.Parameters.Add("$v", SqliteType.Integer);
        _document = _command.Parameters.Add("$doc", SqliteType.Blob);
        _values = indexed.Names.Select((_, i) => _command.Parameters.Add(new SqliteParameter { ParameterName = "$f" + i })).ToArray();
        foreach (var parameter in _command.Parameters.Cast<SqliteParameter>())
            parameter.Value = DBNull.Value;
        _command.Prepare();
    }

    /// <returns>The number of rows written.</returns>
    public int Execute(SqliteRow row, SqliteTransaction? transaction = null)
    {
        _id.Value = row.Id;
        _version.Value = row.Version;
        _document.Value = row.Document;
        var values = row.ValuesFor(_indexed);
        for (var i = 0; i < _values.Length; i++)
            _values[i].Value = values[i];
        _command.Transaction = transaction;
        return _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
