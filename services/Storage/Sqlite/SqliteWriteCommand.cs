using Microsoft.Data.Sqlite;
using MongoDB.Bson;

namespace DealRisk.Storage;

/// <summary>One prepared statement on the writer connection that writes a whole row.</summary>
internal sealed class SqliteWriteCommand : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter _id;
    private readonly SqliteParameter _version;
    private readonly SqliteParameter _document;
    private readonly (string Field, SqliteParameter Parameter)[] _fields;

    public SqliteWriteCommand(SqliteConnection connection, string sql, IReadOnlyList<string> fields)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _id = _command.Parameters.Add("$id", SqliteType.Text);
        _version = _command.Parameters.Add("$v", SqliteType.Integer);
        _document = _command.Parameters.Add("$doc", SqliteType.Blob);
        _fields = fields.Select((field, i) => (field, _command.Parameters.Add(new SqliteParameter { ParameterName = "$f" + i }))).ToArray();
        foreach (var parameter in _command.Parameters.Cast<SqliteParameter>())
            parameter.Value = DBNull.Value;
        _command.Prepare();
    }

    /// <returns>The number of rows written.</returns>
    public int Execute(in SerializedDocument document, SqliteTransaction? transaction = null)
    {
        _id.Value = document.Id;
        _version.Value = document.Version;
        _document.Value = document.Bytes;
        foreach (var (field, parameter) in _fields)
            parameter.Value = SqliteValue.From(document.Envelope.GetValue(field, BsonNull.Value), field);
        _command.Transaction = transaction;
        return _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
