using Microsoft.Data.Sqlite;

namespace DealRisk.Storage.Tests;

public sealed class SqliteDocumentStoreTests(SqliteStoreFixture fixture) : DocumentStoreContract, IClassFixture<SqliteStoreFixture>
{
    protected override IDocumentStore Store => fixture.Store;

    protected override OpenedStore OpenStoreOverSameData()
    {
        var store = new SqliteDocumentStore(fixture.DatabasePath);
        return new OpenedStore(store, store);
    }

    protected override void FailNextBulkWrites(int count) => fixture.Store.Faults.FailNextBulkWrites(count);

    [Theory]
    [InlineData("deals\"")]
    public void A_collection_name_that_is_not_a_plain_identifier_is_rejected(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => fixture.Store.GetCollection<TestDeal>(name));
    }

    [Fact]
    public async Task A_dash_in_a_collection_name_becomes_an_underscore_in_the_table_name()
    {
        await fixture.Store.GetCollection<TestDeal>("dash-named").UpsertAsync("deal-1", TestDeal.Sample());

        Assert.NotNull(await fixture.Store.GetCollection<TestDeal>("dash_named").GetAsync("deal-1"));
    }

    [Fact]
    public void The_database_runs_in_write_ahead_log_mode()
    {
        fixture.Store.GetCollection<TestDeal>("wal_check");

        Assert.Equal("wal", QueryScalar("PRAGMA journal_mode"));
    }

    [Fact]
    public void Finding_by_an_indexed_field_uses_its_index()
    {
        fixture.Store.GetCollection<TestDeal>("plan_check", "stage");

        var plan = QueryScalar("EXPLAIN QUERY PLAN SELECT doc FROM plan_check WHERE f_stage IS 'won'");

        Assert.Contains("USING INDEX", plan);
    }

    [Fact]
    public async Task A_store_whose_files_are_gone_fails_its_ping()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"dealrisk-ping-{Guid.NewGuid():N}");
        await using var store = new SqliteDocumentStore(Path.Combine(directory, "service.db"));
        await store.GetCollection<TestDeal>("deals").UpsertAsync("deal-1", TestDeal.Sample());
        await store.PingAsync();

        Directory.Delete(directory, recursive: true);

        await Assert.ThrowsAsync<SqliteException>(() => store.PingAsync());
    }

    [Fact]
    public async Task Commits_leave_the_write_ahead_log_to_a_checkpointer_beside_them_that_copies_it_into_the_database_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"dealrisk-checkpoint-{Guid.NewGuid():N}");
        var path = Path.Combine(directory, "service.db");
        try
        {
            await using var store = new SqliteDocumentStore(path);
            var rows = store.GetBinaryCollection("rows");
            var before = new FileInfo(path).Length;

            // About 250 pages: far below the 1,000 at which a commit would checkpoint the log itself.
            await rows.UpsertManyAsync([.. Enumerable.Range(0, 500).Select(i => new BinaryRow($"deal-{i:D5}", 1, new byte[2_000]))]);

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (new FileInfo(path).Length < before + 500 * 2_000 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            Assert.True(new FileInfo(path).Length >= before + 500 * 2_000, "The committed pages never reached the database file.");
            Assert.Equal(500, await rows.CountAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string QueryScalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = fixture.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetValue(reader.FieldCount - 1).ToString()!;
    }
}
