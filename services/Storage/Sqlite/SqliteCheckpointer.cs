using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>
/// Copies committed pages from the write-ahead log into the database file on a thread and connection of its own, so no
/// commit pays for it: SQLite's automatic checkpoint runs inside whichever commit takes the log past 1,000 pages (its
/// copy and two fsyncs were the real-time rescore's p99). A passive checkpoint after each burst of writes, at most one
/// per <see cref="Pause"/>: the log is synced at least as often as the automatic checkpoint synced it.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _written = new(0, 1);
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new();
    private int _pending;

    public SqliteCheckpointer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpointer" };
        _thread.Start();
    }

    /// <summary>Called after every write: wakes the checkpointer unless it is already due to run.</summary>
    public void Written()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
            _written.Release();
    }

    public void Dispose()
    {
        _stopping.Set();
        // Always wake the thread: a write's wake-up can have been spent on the checkpoint that is just starting, and the
        // thread then waits again however many writes marked themselves pending meanwhile.
        try
        {
            _written.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already waiting for the thread; it will see the stop.
        }
        _thread.Join();
        _connection.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _written.Wait();
            // The writes of the next moments join this checkpoint instead of each starting one.
            if (_stopping.IsSet || _stopping.Wait(Pause))
                return;
            Volatile.Write(ref _pending, 0);
            try
            {
                SqliteConnectionSetup.Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE)");
            }
            catch (SqliteException)
            {
                // Another connection is checkpointing, or the file is going away: the next write asks again.
            }
        }
    }
}
