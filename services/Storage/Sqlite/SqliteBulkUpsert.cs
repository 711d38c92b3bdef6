using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>Upserts many documents in one transaction on the writer connection.</summary>
internal sealed class SqliteBulkUpsert
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTable _table;

    public SqliteBulkUpsert(SqliteConnection connection, SqliteTable table)
    {
        _connection = connection;
        _table = table;
    }

    public int Run<T>(IEnumerable<KeyValuePair<string, T>> documents, CancellationToken ct) where T : class
    {
        using var transaction = _connection.BeginTransaction();
        var written = 0;
        foreach (var (id, document) in documents)
        {
            ct.ThrowIfCancellationRequested();
            written += _table.Upsert.Execute(SerializedDocument.Create(id, 0, document), transaction);
        }
        transaction.Commit();
        return written;
    }
}
