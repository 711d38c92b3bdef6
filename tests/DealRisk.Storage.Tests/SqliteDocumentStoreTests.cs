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
