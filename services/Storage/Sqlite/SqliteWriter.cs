using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>
/// The single writer connection; every write and schema change runs under its gate. Its commits never checkpoint the
/// write-ahead log themselves: a <see cref="SqliteCheckpointer"/> does that beside them. A waiting real-time write goes
/// before waiting background ones (<see cref="WritePriority"/>), and a background write runs on a thread-pool thread:
/// the flows marked background run on threads of lowered priority (the batch lane), and a write holding the single
/// writer at that priority would keep a real-time write waiting for as long as a busy machine takes to give the lane a
/// core again.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly PriorityGate _gate = new();
    private readonly SqliteCheckpointer _checkpointer;
    private bool _disposed;

    public SqliteWriter(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
        SqliteConnectionSetup.Execute(Connection,
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; " +
            "PRAGMA cache_size = -65536; PRAGMA journal_size_limit = 67108864; PRAGMA busy_timeout = 30000; PRAGMA wal_autocheckpoint = 0;");
        // A log left by a process that never closed the store (killed, crashed) is copied into the database and emptied
        // now, before the service is ready: left as it was, the first commit after start would truncate it to the size
        // limit, and on a big one that took the first real-time writes tens of milliseconds.
        SqliteConnectionSetup.Execute(Connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        SqliteBsonFunctions.Register(Connection);
        _checkpointer = new SqliteCheckpointer(connectionString);
    }

    public SqliteConnection Connection { get; }

    public TResult Run<TResult>(Func<SqliteConnection, TResult> work)
    {
        _gate.Wait();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(Connection);
        }
        finally
        {
            _gate.Release();
            _checkpointer.Written();
        }
    }

    public Task<TResult> RunAsync<TResult>(Func<SqliteConnection, TResult> work, CancellationToken ct) =>
        RunAsync<TResult>(connection => Task.FromResult(work(connection)), ct);

    /// <summary>
    /// Several writes as one transaction on the writer; <paramref name="faults"/> may fail it after the writes and
    /// before the commit, as the contract tests' crash points do, so nothing of it is stored.
    /// </summary>
    public Task<TResult> RunInTransactionAsync<TResult>(WriteFaults faults, Func<SqliteConnection, SqliteTransaction, TResult> work, CancellationToken ct) =>
        RunAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            var result = work(connection, transaction);
            faults.AfterBulkWrite();
            transaction.Commit();
            return result;
        }, ct);

    public Task<TResult> RunAsync<TResult>(Func<SqliteConnection, Task<TResult>> work, CancellationToken ct) =>
        WritePriority.IsBackground ? Task.Run(() => RunGatedAsync(work, ct), ct) : RunGatedAsync(work, ct);

    private async Task<TResult> RunGatedAsync<TResult>(Func<SqliteConnection, Task<TResult>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await work(Connection).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            _checkpointer.Written();
        }
    }

    /// <summary>Waits for the write in progress, then runs the cleanup and closes the connection.</summary>
    public void Close(Action<SqliteConnection> beforeClose)
    {
        _gate.Wait();
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            beforeClose(Connection);
            _checkpointer.Dispose();
            Connection.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => Close(_ => { });
}
