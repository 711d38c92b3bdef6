namespace DealRisk.Storage.Tests;

/// <summary>Binary logs (entries by key and partition, a conditional head per key) on every adapter: the score history relies on them.</summary>
public abstract partial class DocumentStoreContract
{
    /// <summary>Ids of one first character share a segment: the entries of one key spread over several, as a deal's days do.</summary>
    private static readonly BinaryLogSegment ByFirstCharacter = id => id[0];

    private IBinaryLog NewLog() => Store.GetBinaryLog("log-" + Guid.NewGuid().ToString("N")[..12], ByFirstCharacter);

    private static BinaryLogEntry LogEntry(string key, string id, string partition, params byte[] payload) => new(key, id, partition, payload);

    private static BinaryLogHead LogHead(string key, string partition, long revision, params byte[] payload) => new(key, partition, revision, payload);

    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }

    [Fact]
    public async Task A_binary_log_reads_heads_in_bulk_and_a_keys_entries_with_their_bytes()
    {
        var log = NewLog();
        var keys = Enumerable.Range(0, 1_200).Select(i => $"hubspot:{i:D5}").ToList();
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        var written = await log.AppendAsync(
            [.. keys.Select(key => LogEntry(key, "1", "2026-01", (byte)key.Length)), LogEntry(keys[7], "2", "2026-02", payload)],
            [.. keys.Select(key => LogHead(key, "2026-01", 1, (byte)key[^1]))]);

        var heads = await log.ReadHeadsAsync([.. keys.Where((_, i) => i % 3 == 0), "hubspot:missing"]);

        Assert.Equal(keys.Count, written.Count);
        Assert.Equal(keys.Where((_, i) => i % 3 == 0).Order(StringComparer.Ordinal), heads.Select(head => head.Key).Order(StringComparer.Ordinal));
        var head = Assert.Single(heads, head => head.Key == "hubspot:00003");
        Assert.Equal(("2026-01", 1L, (byte)'3'), (head.Partition, head.Revision, Assert.Single(head.Payload)));
        var entries = (await ListAsync(log.ReadAsync(keys[7]))).OrderBy(entry => entry.Id).ToList();
        Assert.Equal(["1", "2"], entries.Select(entry => entry.Id));
        Assert.Equal(payload, entries[1].Payload);
        Assert.Equal("2026-02", entries[1].Partition);
        Assert.Equal(2, await log.CountAsync(keys[7]));
        Assert.Equal(keys.Count + 1, await log.CountAsync());
        Assert.Empty(await ListAsync(log.ReadAsync("hubspot:missing")));
    }

    [Fact]
    public async Task A_binary_log_entry_over_the_16_MiB_limit_is_refused_naming_its_key_and_id_and_its_append_writes_nothing()
    {
        var log = NewLog();
        var oversize = new byte[DocumentSizeLimit.MaxBytes + 1];

        var refused = await Assert.ThrowsAsync<DocumentTooLargeException>(() => log.AppendAsync(
            [LogEntry("hubspot:1", "small", "2026-01", 1), LogEntry("hubspot:2", "huge", "2026-01", oversize)],
            [LogHead("hubspot:1", "2026-01", 1, 1), LogHead("hubspot:2", "2026-01", 1, 2)]));
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => log.InsertAsync([LogEntry("hubspot:3", "huge", "2026-01", oversize)]));

        Assert.Equal("hubspot:2|huge", refused.Id);
        Assert.Equal(0, await log.CountAsync());
        Assert.Empty(await log.ReadHeadsAsync(["hubspot:1", "hubspot:2"]));
    }

    [Fact]
    public async Task A_binary_log_hands_heads_to_a_reader_as_it_returns_them_entries_held_by_a_head_included()
    {
        var log = NewLog();
        var keys = Enumerable.Range(0, 900).Select(i => $"hubspot:{i:D5}").Append("hubspot:\u00C4rger").ToList();
        // Every third head is written with its entry (it names the entry instead of holding the bytes again).
        await log.AppendAsync(
            [.. keys.Where((_, i) => i % 3 == 0).Select(key => LogEntry(key, "e", "2026-03", 7, (byte)key.Length))],
            [.. keys.Select((key, i) => i % 3 == 0 ? LogHead(key, "2026-03", 2, 7, (byte)key.Length) : LogHead(key, "2026-02", i + 1, (byte)i, 1))]);
        string[] asked = [.. keys.Where((_, i) => i % 2 == 0), "hubspot:missing", keys[4]];

        var handed = new List<(string, string, long, string)>();
        await log.ReadHeadsAsync(asked, (key, revision, partition, payload) =>
            handed.Add((key, System.Text.Encoding.UTF8.GetString(partition), revision, Convert.ToHexString(payload))));

        var returned = await log.ReadHeadsAsync(asked);
        Assert.Equal(asked.Distinct().Count() - 1, handed.Count);
        Assert.Equal(
            returned.Select(head => (head.Key, head.Partition, head.Revision, Convert.ToHexString(head.Payload))).Order(),
            handed.Order());
        Assert.Contains(("hubspot:00000", "2026-03", 2L, Convert.ToHexString(new byte[] { 7, 13 })), handed);
    }

    [Fact]
    public async Task A_binary_log_reads_the_heads_of_keys_asked_in_any_order_with_repeats_and_characters_beyond_ascii()
    {
        var log = NewLog();
        // UTF-16 and UTF-8 order these differently ("\uFF61" before an emoji in one, after it in the other).
        string[] stored = ["hubspot:a", "hubspot:\u00C4rger", "hubspot:\uFF61", "hubspot:\U0001F600", "hubspot:z", .. Enumerable.Range(0, 300).Select(i => $"hubspot:m{i:D3}")];
        await log.AppendAsync([], [.. stored.Select((key, i) => LogHead(key, i % 2 == 0 ? "2026-01" : "2026-02", i + 1, (byte)i))]);

        string[] asked = ["hubspot:z", "hubspot:\U0001F600", "hubspot:m150", "hubspot:\uFF61", "hubspot:z", "hubspot:none", "hubspot:\u00C4rger", "hubspot:m007", "hubspot:m299"];
        var heads = await log.ReadHeadsAsync(asked);

        var expected = asked.Distinct().Where(key => key != "hubspot:none").Select(key => Array.IndexOf(stored, key))
            .Select(i => (stored[i], i % 2 == 0 ? "2026-01" : "2026-02", (long)i + 1, (byte)i)).Order().ToList();
        Assert.Equal(expected, heads.Select(head => (head.Key, head.Partition, head.Revision, Assert.Single(head.Payload))).Order().ToList());
    }

    [Fact]
    public async Task A_binary_log_writes_a_head_only_over_a_lower_revision_and_the_entries_only_of_keys_whose_head_it_wrote()
    {
        var log = NewLog();
        await log.AppendAsync([LogEntry("a", "1", "m", 1), LogEntry("b", "1", "m", 1)], [LogHead("a", "m", 1, 1), LogHead("b", "m", 5, 1)]);

        var written = await log.AppendAsync(
            [LogEntry("a", "2", "m", 2), LogEntry("b", "2", "m", 2), LogEntry("c", "1", "m", 1), LogEntry("c", "2", "m", 2)],
            [LogHead("a", "m", 2, 2), LogHead("b", "m", 5, 2), LogHead("c", "m", 1, 1), LogHead("c", "m", 2, 2)]);

        Assert.Equal(["a", "c"], written.Order());
        var heads = (await log.ReadHeadsAsync(["a", "b", "c"])).ToDictionary(head => head.Key);
        Assert.Equal([2], heads["a"].Payload);
        Assert.Equal([1], heads["b"].Payload);
        Assert.Equal((2L, (byte)2), (heads["c"].Revision, heads["c"].Payload[0]));
        Assert.Equal(1, await log.CountAsync("b"));
        Assert.Equal(2, await log.CountAsync("a"));
        Assert.Equal(2, await log.CountAsync("c"));
    }

    [Fact]
    public async Task A_binary_log_append_that_fails_before_commit_writes_nothing_and_its_retry_writes_all()
    {
        var log = NewLog();
        var entries = Enumerable.Range(0, 50).Select(i => LogEntry($"deal-{i:D2}", "1", "m", (byte)i)).ToList();
        var heads = Enumerable.Range(0, 50).Select(i => LogHead($"deal-{i:D2}", "m", 1, (byte)i)).ToList();

        FailNextBulkWrites(1);
        await Assert.ThrowsAsync<IOException>(() => log.AppendAsync(entries, heads));

        Assert.Equal(0, await log.CountAsync());
        Assert.Empty(await log.ReadHeadsAsync([.. heads.Select(head => head.Key)]));
        Assert.Equal(50, (await log.AppendAsync(entries, heads)).Count);
        Assert.Equal(50, await log.CountAsync());
    }

    [Fact]
    public async Task Inserting_into_a_binary_log_replaces_the_entry_under_the_same_key_and_id_and_leaves_the_head_alone()
    {
        var log = NewLog();
        await log.AppendAsync([LogEntry("a", "2", "m", 2)], [LogHead("a", "m", 1, 2)]);

        await log.InsertAsync([LogEntry("a", "1", "m", 1), LogEntry("b", "1", "m", 1), LogEntry("a", "1", "n", 11)]);

        var entries = (await ListAsync(log.ReadAsync("a"))).ToDictionary(entry => entry.Id);
        Assert.Equal(2, entries.Count);
        Assert.Equal(("n", (byte)11), (entries["1"].Partition, entries["1"].Payload[0]));
        Assert.Equal([2], Assert.Single(await log.ReadHeadsAsync(["a"])).Payload);
        Assert.Empty(await log.ReadHeadsAsync(["b"]));
        Assert.Equal(1, await log.CountAsync("b"));
    }

    [Fact]
    public async Task A_head_keeps_its_bytes_when_an_insert_replaces_the_entry_it_was_written_with()
    {
        var log = NewLog();
        await log.AppendAsync([LogEntry("a", "1", "m", 1, 2, 3)], [LogHead("a", "m", 1, 1, 2, 3)]);

        await log.InsertAsync([LogEntry("a", "1", "n", 9)]);

        Assert.Equal([1, 2, 3], Assert.Single(await log.ReadHeadsAsync(["a"])).Payload);
        var entry = Assert.Single(await ListAsync(log.ReadAsync("a")));
        Assert.Equal(("n", (byte)9), (entry.Partition, entry.Payload[0]));
    }

    [Fact]
    public async Task A_head_with_the_bytes_of_an_entry_of_another_partition_outlives_that_partition()
    {
        var log = NewLog();
        await log.AppendAsync([LogEntry("a", "1", "2026-01", 5), LogEntry("a", "2", "2026-02", 5)], [LogHead("a", "2026-02", 1, 5)]);
        await log.AppendAsync([LogEntry("b", "1", "2026-01", 6)], [LogHead("b", "2026-02", 1, 6)]);

        await log.DeletePartitionAsync("2026-01");

        var heads = (await log.ReadHeadsAsync(["a", "b"])).ToDictionary(head => head.Key);
        Assert.Equal([5], heads["a"].Payload);
        Assert.Equal([6], heads["b"].Payload);
        Assert.Equal(["2"], (await ListAsync(log.ReadAsync("a"))).Select(entry => entry.Id));
        Assert.Empty(await ListAsync(log.ReadAsync("b")));
    }

    [Fact]
    public async Task A_head_written_with_several_entries_of_its_key_reads_the_bytes_it_was_given()
    {
        var log = NewLog();
        await log.AppendAsync(
            [LogEntry("a", "1", "m", 7), LogEntry("a", "2", "m", 8), LogEntry("a", "2", "m", 9)],
            [LogHead("a", "m", 1, 8)]);

        Assert.Equal([8], Assert.Single(await log.ReadHeadsAsync(["a"])).Payload);
        Assert.Equal([(byte)7, (byte)9], (await ListAsync(log.ReadAsync("a"))).OrderBy(entry => entry.Id).Select(entry => entry.Payload[0]));
    }

    [Fact]
    public async Task Deleting_a_partition_of_a_binary_log_deletes_its_entries_and_heads_and_nothing_else()
    {
        var log = NewLog();
        await log.AppendAsync([LogEntry("a", "1", "2026-01", 1), LogEntry("b", "1", "2026-01", 1)], [LogHead("a", "2026-01", 1, 1), LogHead("b", "2026-01", 1, 1)]);
        await log.AppendAsync([LogEntry("a", "2", "2026-02", 2)], [LogHead("a", "2026-02", 2, 2)]);

        Assert.Equal(2, await log.DeletePartitionAsync("2026-01"));

        Assert.Equal(["2"], (await ListAsync(log.ReadAsync("a"))).Select(entry => entry.Id));
        Assert.Equal(["a"], (await log.ReadHeadsAsync(["a", "b"])).Select(head => head.Key));
        Assert.Equal(1, await log.CountAsync());
        Assert.Equal(0, await log.DeletePartitionAsync("2026-01"));
    }

    [Fact]
    public async Task A_keys_entries_are_read_from_every_segment_and_a_partition_is_deleted_from_a_segment_it_shares_with_another()
    {
        var log = NewLog();
        await log.AppendAsync([LogEntry("a", "1x", "2026-01", 1), LogEntry("b", "1x", "2026-01", 4)], [LogHead("a", "2026-01", 1, 1), LogHead("b", "2026-01", 1, 4)]);
        await log.AppendAsync([LogEntry("a", "1y", "2026-02", 2)], [LogHead("a", "2026-02", 2, 2)]);
        await log.AppendAsync([LogEntry("a", "2x", "2026-02", 3)], [LogHead("a", "2026-02", 3, 3)]);
        await log.InsertAsync([LogEntry("a", "0x", "2026-01", 0)]);

        Assert.Equal(["0x", "1x", "1y", "2x"], (await ListAsync(log.ReadAsync("a"))).Select(entry => entry.Id).Order(StringComparer.Ordinal));
        Assert.Equal(4, await log.CountAsync("a"));
        Assert.Equal(3, Assert.Single(await log.ReadHeadsAsync(["a"])).Payload[0]);

        Assert.Equal(3, await log.DeletePartitionAsync("2026-01"));

        Assert.Equal(["1y", "2x"], (await ListAsync(log.ReadAsync("a"))).Select(entry => entry.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await ListAsync(log.ReadAsync("b")));
        Assert.Equal(["a"], (await log.ReadHeadsAsync(["a", "b"])).Select(head => head.Key));
        Assert.Equal(2, await log.CountAsync());
    }

    [Fact]
    public async Task Two_stores_appending_to_one_key_of_a_binary_log_with_the_same_expected_revision_cannot_both_win()
    {
        await using var other = OpenStoreOverSameData();
        var name = "log-" + Guid.NewGuid().ToString("N")[..12];
        var (first, second) = (Store.GetBinaryLog(name, ByFirstCharacter), other.Store.GetBinaryLog(name, ByFirstCharacter));
        await first.AppendAsync([LogEntry("a", "0", "m", 0)], [LogHead("a", "m", 1, 0)]);

        var results = await Task.WhenAll(
            first.AppendAsync([LogEntry("a", "1", "m", 1)], [LogHead("a", "m", 2, 1)]),
            second.AppendAsync([LogEntry("a", "2", "m", 2)], [LogHead("a", "m", 2, 2)]));

        var winner = Assert.Single(results, written => written.Contains("a"));
        var head = Assert.Single(await first.ReadHeadsAsync(["a"]));
        Assert.Equal(2, await first.CountAsync("a"));
        Assert.Contains(head.Payload[0].ToString(System.Globalization.CultureInfo.InvariantCulture), (await ListAsync(first.ReadAsync("a"))).Select(entry => entry.Id));
        Assert.NotNull(winner);
    }
}
