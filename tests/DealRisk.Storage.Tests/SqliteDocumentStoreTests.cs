using DealRisk.ScoreHistory;
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

    [Fact]
    public async Task A_binary_log_head_written_with_its_entry_names_it_instead_of_storing_its_bytes_again()
    {
        var log = fixture.Store.GetBinaryLog("named_heads");
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var keys = Enumerable.Range(0, 1_000).Select(i => $"hubspot:{i:D5}").ToList();

        await log.AppendAsync([.. keys.Select(key => new BinaryLogEntry(key, "1", "2026-01", payload))], [.. keys.Select(key => new BinaryLogHead(key, "2026-01", 1, payload))]);

        Assert.Equal("0", QueryScalar("SELECT sum(length(bin)) FROM named_heads_heads"));
        Assert.Equal(keys.Count, (await log.ReadHeadsAsync(keys)).Count(head => head.Payload.AsSpan().SequenceEqual(payload)));
    }

    [Fact]
    public async Task A_binary_log_whose_heads_were_stored_before_heads_named_their_entries_reads_them_and_appends_after_them()
    {
        // The layout an earlier release wrote: heads with their own bytes and no entry id.
        using var earlier = new EarlierDatabase(
            KeyedEntries("log", headsNameEntries: false) +
            "INSERT INTO log_entries VALUES ('a', '1', 'm', X'01'), ('b', '1', 'm', X'02');" +
            "INSERT INTO log_heads VALUES ('a', 'm', 1, X'01'), ('b', 'm', 1, X'02');");
        await using var store = new SqliteDocumentStore(earlier.Path);
        var log = store.GetBinaryLog("log");

        var written = await log.AppendAsync([new BinaryLogEntry("a", "2", "m", [3])], [new BinaryLogHead("a", "m", 2, [3])]);

        Assert.Equal(["a"], written);
        var heads = (await log.ReadHeadsAsync(["a", "b"])).ToDictionary(head => head.Key);
        Assert.Equal(((2L, (byte)3), (1L, (byte)2)), ((heads["a"].Revision, heads["a"].Payload[0]), (heads["b"].Revision, heads["b"].Payload[0])));
    }

    [Fact]
    public async Task A_binary_log_keyed_by_key_and_id_is_moved_into_segments_once_with_its_heads_still_naming_their_entries()
    {
        // The layout of the release before segments: one head names its entry, one holds its bytes.
        using var earlier = new EarlierDatabase(
            KeyedEntries("log", headsNameEntries: true) +
            "INSERT INTO log_entries VALUES ('a', '1x', 'm1', X'01'), ('a', '2x', 'm2', X'02'), ('b', '1x', 'm1', X'03');" +
            "INSERT INTO log_heads VALUES ('a', 'm2', 2, X'', '2x'), ('b', 'm1', 1, X'03', NULL);");
        BinaryLogSegment byFirstCharacter = id => id[0];
        await using (var store = new SqliteDocumentStore(earlier.Path))
        {
            var log = store.GetBinaryLog("log", byFirstCharacter);

            var heads = (await log.ReadHeadsAsync(["a", "b"])).ToDictionary(head => head.Key, head => head.Payload[0]);
            Assert.Equal(new Dictionary<string, byte> { ["a"] = 2, ["b"] = 3 }, heads);
            var entries = await ListAsync(log.ReadAsync("a"));
            Assert.Equal([("1x", "m1", (byte)1), ("2x", "m2", (byte)2)], entries.OrderBy(e => e.Id).Select(e => (e.Id, e.Partition, e.Payload[0])));
            Assert.Equal(1, await log.DeletePartitionAsync("m2"));
            Assert.Equal(["1x"], (await ListAsync(log.ReadAsync("a"))).Select(entry => entry.Id));
            Assert.Throws<InvalidOperationException>(() => store.GetBinaryLog("log", id => 0));
        }
        Assert.Equal("49a1x 49b1x / 0", QueryScalar(
            "SELECT (SELECT group_concat(s || k || id, ' ') FROM (SELECT s, k, id FROM log_entries ORDER BY s, k, id))" +
            " || ' / ' || (SELECT count(*) FROM sqlite_master WHERE name = 'log_entries_unsegmented')", earlier.Path));
    }

    [Fact]
    public async Task A_score_history_stored_by_key_and_id_reads_back_and_appends_after_its_move_into_days()
    {
        var deal = NewDealKey();
        var (first, second) = (Entry(deal, new DateTimeOffset(2026, 3, 30, 13, 0, 0, TimeSpan.Zero), 1, 40), Entry(deal, new DateTimeOffset(2026, 4, 2, 13, 0, 0, TimeSpan.Zero), 2, 55));
        using var earlier = new EarlierDatabase(
            KeyedEntries("score_history_log", headsNameEntries: true) +
            "INSERT INTO score_history_log_entries VALUES ($k, $id1, '2026-03', $bin1), ($k, $id2, '2026-04', $bin2);" +
            "INSERT INTO score_history_log_heads VALUES ($k, '2026-04', 2, X'', $id2);",
            ("$k", deal), ("$id1", ScoreHistoryEncoding.IdOf(first)), ("$id2", ScoreHistoryEncoding.IdOf(second)),
            ("$bin1", ScoreHistoryEncoding.Encode(first)), ("$bin2", ScoreHistoryEncoding.Encode(second)));
        await using var store = new SqliteDocumentStore(earlier.Path);
        var history = History(store);

        Assert.Equal(55, (await history.LatestAsync(deal, CancellationToken.None))?.Score);
        var previous = new List<int?>();
        await history.AppendAsync([Entry(deal, new DateTimeOffset(2026, 4, 3, 13, 0, 0, TimeSpan.Zero), 3, 70)],
            (before, entry) => { previous.Add(before?.Score); return entry; }, CancellationToken.None);

        Assert.Equal([55], previous);
        Assert.Equal([70, 55, 40], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
    }

    /// <summary>A binary log's tables as releases before segments wrote them: entries keyed by (key, id), indexed on the partition.</summary>
    private static string KeyedEntries(string log, bool headsNameEntries) =>
        $"CREATE TABLE {log}_entries (k TEXT NOT NULL, id TEXT NOT NULL, p TEXT NOT NULL, bin BLOB NOT NULL, PRIMARY KEY (k, id));" +
        $"CREATE INDEX {log}_entries_p ON {log}_entries (p);" +
        $"CREATE TABLE {log}_heads (k TEXT PRIMARY KEY, p TEXT NOT NULL, v INTEGER NOT NULL, bin BLOB NOT NULL{(headsNameEntries ? ", id TEXT" : "")});" +
        $"CREATE INDEX {log}_heads_p ON {log}_heads (p);";

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private string QueryScalar(string sql, string? path = null)
    {
        using var connection = Open(path ?? fixture.DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetValue(reader.FieldCount - 1).ToString()!;
    }

    /// <summary>A database file written as an earlier release did, in a directory of its own that is deleted with it.</summary>
    private sealed class EarlierDatabase : IDisposable
    {
        private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dealrisk-earlier-{Guid.NewGuid():N}");

        public EarlierDatabase(string sql, params (string Name, object Value)[] parameters)
        {
            Directory.CreateDirectory(_directory);
            Path = System.IO.Path.Combine(_directory, "service.db");
            using var connection = Open(Path);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            command.ExecuteNonQuery();
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
