using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>
/// Upserts many documents in one transaction on the writer connection, serializing the next chunk
/// on another core while the current one is written.
/// </summary>
internal sealed class SqliteBulkUpsert
{
    private const int ChunkSize = 1024;
    private readonly SqliteConnection _connection;
    private readonly SqliteTable _table;
    private readonly WriteFaults _faults;

    public SqliteBulkUpsert(SqliteConnection connection, SqliteTable table, WriteFaults faults)
    {
        _connection = connection;
        _table = table;
        _faults = faults;
    }

    public async Task<int> RunAsync<T>(IEnumerable<KeyValuePair<string, T>> documents, CancellationToken ct) where T : class
    {
        using var transaction = _connection.BeginTransaction();
        var indexed = _table.Indexed;
        var written = 0;
        Task<SqliteRow[]>? serializing = null;
        foreach (var chunk in documents.Chunk(ChunkSize))
        {
            var next = CallerScheduler.Run(() => Serialize(chunk, indexed), ct);
            if (serializing is not null)
                written += Write(await serializing.ConfigureAwait(false), ct);
            serializing = next;
        }
        if (serializing is not null)
            written += Write(await serializing.ConfigureAwait(false), ct);
        _faults.AfterBulkWrite();
        transaction.Commit();
        return written;
    }

    private static SqliteRow[] Serialize<T>(KeyValuePair<string, T>[] chunk, TopLevelElements indexed) where T : class =>
        Array.ConvertAll(chunk, pair => SqliteRow.Create(pair.Key, 0, pair.Value, indexed));

    private int Write(SqliteRow[] rows, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var written = 0;
        foreach (var row in rows)
            written += _table.Upsert.Execute(row);
        return written;
    }
}
