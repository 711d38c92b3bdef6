using Microsoft.Data.Sqlite;

namespace DealRisk.Storage.Tests;

/// <summary>The embedded store's single writer: where a write runs decides who waits for whom on a busy machine.</summary>
public sealed class SqliteWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dealrisk-writer-tests-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteWriter _writer;

    public SqliteWriterTests()
    {
        Directory.CreateDirectory(_directory);
        _writer = new SqliteWriter(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "writer.db"), Pooling = false }.ToString());
    }

    [Fact]
    public void A_background_write_holds_the_writer_on_a_thread_pool_thread_and_a_foreground_one_on_the_thread_that_asked()
    {
        var background = WhereWorkRuns(markBackground: true);
        var foreground = WhereWorkRuns(markBackground: false);

        Assert.True(background.OnPool, "A background write ran on the low-priority thread that asked for it.");
        Assert.NotEqual(background.Asking, background.Running);
        Assert.False(foreground.OnPool);
        Assert.Equal(foreground.Asking, foreground.Running);
    }

    [Fact]
    public void A_write_ahead_log_left_by_a_process_that_never_closed_the_store_is_checkpointed_and_emptied_when_the_store_opens()
    {
        _writer.Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            SqliteConnectionSetup.Execute(connection, "CREATE TABLE rows (k INTEGER PRIMARY KEY, bin BLOB NOT NULL)");
            for (var k = 0; k < 200; k++)
                SqliteConnectionSetup.Execute(connection, $"INSERT INTO rows (k, bin) VALUES ({k}, zeroblob(4096))");
            transaction.Commit();
            return 0;
        });
        // The files as a killed process leaves them: the writer above is still open, so its log was never checkpointed.
        var left = Path.Combine(_directory, "left");
        Directory.CreateDirectory(left);
        foreach (var name in new[] { "writer.db", "writer.db-wal" })
            File.Copy(Path.Combine(_directory, name), Path.Combine(left, name));
        Assert.True(new FileInfo(Path.Combine(left, "writer.db-wal")).Length > 200 * 4096);

        using var reopened = new SqliteWriter(new SqliteConnectionStringBuilder { DataSource = Path.Combine(left, "writer.db"), Pooling = false }.ToString());

        Assert.Equal(0, new FileInfo(Path.Combine(left, "writer.db-wal")).Length);
        Assert.Equal(200L, reopened.Run(connection =>
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM rows";
            return (long)count.ExecuteScalar()!;
        }));
    }

    public void Dispose()
    {
        _writer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Asks for a write from a thread of its own (as a batch-lane thread is), optionally marked background.</summary>
    private (int Asking, int Running, bool OnPool) WhereWorkRuns(bool markBackground)
    {
        (int, int, bool) result = default;
        var thread = new Thread(() =>
        {
            if (markBackground)
                WritePriority.MarkBackground();
            var asking = Environment.CurrentManagedThreadId;
            result = _writer.RunAsync(_ => (asking, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread), CancellationToken.None)
                .GetAwaiter().GetResult();
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "The write did not finish.");
        return result;
    }
}
