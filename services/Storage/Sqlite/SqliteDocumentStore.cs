using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>
/// Documents in one SQLite file: a table per collection holding the BSON bytes, plus a column
/// and index per indexed field. One writer connection, pooled reader connections (WAL).
/// </summary>
public sealed class SqliteDocumentStore : IDocumentStore, IDisposable, IAsyncDisposable
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly ConcurrentDictionary<string, SqliteTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<SqliteBinaryLog>> _logs = new(StringComparer.OrdinalIgnoreCase);

    public SqliteDocumentStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DocumentMapping.Register();
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var connectionString = SqliteConnectionSetup.ConnectionString(DatabasePath);
        _writer = new SqliteWriter(connectionString);
        _readers = new SqliteReaderPool(connectionString);
    }

    public string DatabasePath { get; }

    internal WriteFaults Faults { get; } = new();

    public IDocumentCollection<T> GetCollection<T>(string name, params string[] indexedFields) where T : class
    {
        var tableName = SqliteNames.Table(name);
        var fields = new IndexedFields(indexedFields);
        var table = _writer.Run(connection =>
        {
            var table = _tables.GetOrAdd(tableName, _ => SqliteTable.Open(connection, tableName));
            table.EnsureIndexed(connection, fields.Names);
            return table;
        });
        return new SqliteDocumentCollection<T>(table, fields, _writer, _readers, Faults);
    }

    public IBinaryCollection GetBinaryCollection(string name) => SqliteBinaryCollection.Open(name, _writer, _readers, Faults);

    public IBinaryLog GetBinaryLog(string name, BinaryLogSegment? segmentOf = null)
    {
        var log = _logs.GetOrAdd(SqliteNames.Table(name),
            table => new Lazy<SqliteBinaryLog>(() => SqliteBinaryLog.Open(table, segmentOf, _writer, _readers, Faults))).Value;
        // The segment is where an entry is looked for: a second function would look elsewhere.
        if (!Equals(log.SegmentOf, segmentOf))
            throw new InvalidOperationException($"The binary log '{name}' is already open with another segment function.");
        return log;
    }

    public Task<bool> DropCollectionAsync(string name, CancellationToken ct = default)
    {
        var tableName = SqliteNames.Table(name);
        return _writer.RunAsync(connection =>
        {
            if (_tables.TryRemove(tableName, out var opened))
                opened.Dispose();
            if (!SqliteSchema.TableExists(connection, tableName))
                return false;
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP TABLE {SqliteNames.Quote(tableName)}";
            drop.ExecuteNonQuery();
            return true;
        }, ct);
    }

    /// <summary>A fresh read-only connection, so a file that is gone or no longer a database is noticed, not served from a warm cache.</summary>
    public Task PingAsync(CancellationToken ct = default)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        SqliteConnectionSetup.Execute(connection, "SELECT count(*) FROM sqlite_master");
        return Task.CompletedTask;
    }

    public Task<TResult> WriteTogetherAsync<TResult>(Func<IDocumentTransaction, Task<TResult>> writes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return _writer.RunAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction();
            var result = await writes(new SqliteDocumentTransaction(_writer, transaction, ct)).ConfigureAwait(false);
            Faults.AfterBulkWrite();
            transaction.Commit();
            return result;
        }, ct);
    }

    public void Dispose()
    {
        _writer.Close(_ =>
        {
            foreach (var table in _tables.Values)
                table.Dispose();
            foreach (var log in _logs.Values.Where(log => log.IsValueCreated))
                log.Value.Dispose();
        });
        _readers.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
