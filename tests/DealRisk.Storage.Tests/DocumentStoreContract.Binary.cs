namespace DealRisk.Storage.Tests;

/// <summary>Binary rows (typed columns: id, version, payload) on every adapter: the batch's per-deal rows rely on them.</summary>
public abstract partial class DocumentStoreContract
{
    private IBinaryCollection NewRows() => Store.GetBinaryCollection("rows-" + Guid.NewGuid().ToString("N")[..12]);

    private static BinaryRow Row(string id, long version, params byte[] payload) => new(id, version, payload);

    [Fact]
    public async Task A_binary_row_reads_back_with_its_version_and_bytes_and_an_unknown_id_reads_null()
    {
        var rows = NewRows();
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();

        Assert.True(await rows.UpsertIfNewerAsync(Row("deal-1", 7, payload)));

        var stored = await rows.GetAsync("deal-1");
        Assert.Equal(("deal-1", 7L), (stored!.Id, stored.Version));
        Assert.Equal(payload, stored.Payload);
        Assert.Null(await rows.GetAsync("deal-2"));
    }

    [Fact]
    public async Task Binary_rows_written_in_a_transaction_with_documents_are_stored_with_them_only_where_newer()
    {
        var deals = NewDeals();
        var rows = NewRows();
        await rows.UpsertIfNewerAsync(Row("deal-1", 5, 5));

        var written = await Store.WriteTogetherAsync(async transaction =>
        {
            await transaction.UpsertManyIfNewerAsync(deals, [new("deal-1", 6, TestDeal.Sample(stage: "new"))]);
            return await transaction.UpsertManyIfNewerAsync(rows, [Row("deal-1", 4, 40), Row("deal-2", 1, 1), Row("deal-2", 2, 2)]);
        });

        Assert.Equal(["deal-2"], written);
        Assert.Equal([5], (await rows.GetAsync("deal-1"))!.Payload);
        var newest = (await rows.GetAsync("deal-2"))!;
        Assert.Equal((2L, "2"), (newest.Version, string.Join(",", newest.Payload)));
        Assert.Equal("new", (await deals.GetAsync("deal-1"))!.Stage);
    }

    [Fact]
    public async Task A_transaction_of_documents_and_binary_rows_that_fails_before_commit_writes_neither()
    {
        var deals = NewDeals();
        var rows = NewRows();
        Task<IReadOnlySet<string>> WriteBoth() => Store.WriteTogetherAsync(async transaction =>
        {
            await transaction.UpsertManyIfNewerAsync(deals, [new("deal-1", 1, TestDeal.Sample())]);
            return await transaction.UpsertManyIfNewerAsync(rows, [Row("deal-1", 1, 1)]);
        });

        FailNextBulkWrites(1);
        await Assert.ThrowsAsync<IOException>(WriteBoth);

        Assert.Equal((0, 0), (await deals.CountAsync(), await rows.CountAsync()));
        Assert.Equal(["deal-1"], await WriteBoth());
        Assert.Equal((1, 1), (await deals.CountAsync(), await rows.CountAsync()));
    }

    [Fact]
    public async Task A_transaction_refuses_binary_rows_of_another_store()
    {
        await using var other = OpenStoreOverSameData();
        var foreign = other.Store.GetBinaryCollection("rows-" + Guid.NewGuid().ToString("N")[..12]);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteTogetherAsync(transaction => transaction.UpsertManyIfNewerAsync(foreign, [Row("deal-1", 1, 1)])));

        Assert.Equal(0, await foreign.CountAsync());
    }

    [Fact]
    public async Task A_binary_row_is_replaced_only_by_a_higher_version()
    {
        var rows = NewRows();
        await rows.UpsertIfNewerAsync(Row("deal-1", 5, 5));

        Assert.False(await rows.UpsertIfNewerAsync(Row("deal-1", 5, 50)));
        Assert.False(await rows.UpsertIfNewerAsync(Row("deal-1", 4, 40)));
        Assert.True(await rows.UpsertIfNewerAsync(Row("deal-1", 6, 60)));

        Assert.Equal([60], (await rows.GetAsync("deal-1"))!.Payload);
    }

    [Fact]
    public async Task Binary_rows_are_read_in_bulk_in_ascending_id_order_whatever_order_they_are_asked_for()
    {
        var rows = NewRows();
        var ids = Enumerable.Range(0, 1_200).Select(i => $"hubspot:{i * 7919 % 1_200:D5}").ToList();
        await rows.UpsertManyAsync(ids.Select(id => Row(id, 1, (byte)id.Length)).ToList());
        var asked = ids.Where((_, i) => i % 3 != 0).Append("hubspot:missing").Reverse().ToList();

        var read = new List<string>();
        await foreach (var row in rows.GetManyAsync(asked))
            read.Add(row.Id);

        Assert.Equal(asked.Where(id => id != "hubspot:missing").Order(StringComparer.Ordinal), read);
        var scanned = new List<string>();
        await foreach (var row in rows.ScanAsync())
            scanned.Add(row.Id);
        Assert.Equal(ids.Order(StringComparer.Ordinal), scanned);
    }

    [Fact]
    public async Task A_decoding_scan_hands_every_row_in_ascending_id_order_and_yields_only_what_it_decodes()
    {
        var rows = NewRows();
        var ids = Enumerable.Range(0, 1_500).Select(i => $"hubspot:{i * 7919 % 1_500:D5}").Append("hubspot:naïve").ToList();
        await rows.UpsertManyAsync(ids.Select((id, i) => Row(id, i + 1, (byte)(i % 3), (byte)i)).ToList());
        var stored = ids.Select((id, i) => (Id: id, Version: (long)(i + 1), Payload: new[] { (byte)(i % 3), (byte)i }))
            .OrderBy(row => row.Id, StringComparer.Ordinal).ToList();

        var handed = new List<string>();
        var kept = new List<BinaryRow>();
        await foreach (var row in rows.ScanAsync((id, version, payload) =>
        {
            handed.Add(System.Text.Encoding.UTF8.GetString(id));
            return payload[0] == 1 ? new BinaryRow(System.Text.Encoding.UTF8.GetString(id), version, payload.ToArray()) : null;
        }))
            kept.Add(row);

        Assert.Equal(stored.Select(row => row.Id), handed);
        var expected = stored.Where(row => row.Payload[0] == 1).ToList();
        Assert.Equal(expected.Select(row => row.Id), kept.Select(row => row.Id));
        Assert.Equal(expected.Select(row => row.Version), kept.Select(row => row.Version));
        Assert.Equal(expected.Select(row => Convert.ToHexString(row.Payload)), kept.Select(row => Convert.ToHexString(row.Payload)));
    }

    [Fact]
    public async Task Binary_rows_of_sorted_ids_are_handed_out_in_order_with_their_positions_versions_and_bytes()
    {
        var rows = NewRows();
        var stored = Enumerable.Range(0, 3_000).Select(i => $"hubspot:{i:D5}").ToList();
        await rows.UpsertManyAsync(stored.Select((id, i) => Row(id, i + 1, (byte)i, (byte)(i >> 8))).ToList());
        // Runs of neighbours (stepped over), long gaps (sought), ids with no row before, between and after the stored ones.
        var asked = stored.Where((_, i) => i < 40 || i % 97 == 0 || (i > 2_000 && i % 3 == 0))
            .Concat(["hubspot:00010x", "hubspot:zzz", "a:before-all"])
            .Order(StringComparer.Ordinal).ToList();

        var read = new List<(int Index, long Version, byte[] Payload)>();
        await rows.ReadManyAsync(asked, (index, version, payload) => read.Add((index, version, payload.ToArray())));

        var expected = asked.Select((id, index) => (id, index)).Where(a => stored.Contains(a.id))
            .Select(a => (a.index, (long)stored.IndexOf(a.id) + 1, new[] { (byte)stored.IndexOf(a.id), (byte)(stored.IndexOf(a.id) >> 8) }))
            .ToList();
        Assert.Equal(expected.Count, read.Count);
        Assert.Equal(expected.Select(e => (e.Item1, e.Item2)), read.Select(r => (r.Index, r.Version)));
        Assert.Equal(expected.Select(e => e.Item3), read.Select(r => r.Payload));
    }

    [Fact]
    public async Task A_read_of_ids_out_of_order_or_repeated_is_refused_and_of_no_ids_reads_nothing()
    {
        var rows = NewRows();
        await rows.UpsertManyAsync([Row("deal-1", 1, 1), Row("deal-2", 1, 2)]);
        var read = 0;

        await Assert.ThrowsAsync<ArgumentException>(() => rows.ReadManyAsync(["deal-2", "deal-1"], (_, _, _) => read++));
        await Assert.ThrowsAsync<ArgumentException>(() => rows.ReadManyAsync(["deal-1", "deal-1"], (_, _, _) => read++));
        await rows.ReadManyAsync([], (_, _, _) => read++);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task A_bulk_write_of_binary_rows_keeps_only_the_newer_ones_and_of_repeated_ids_the_newest()
    {
        var rows = NewRows();
        await rows.UpsertIfNewerAsync(Row("deal-1", 5, 5));
        await rows.UpsertIfNewerAsync(Row("deal-2", 5, 5));

        var written = await rows.UpsertManyIfNewerAsync([Row("deal-1", 4, 4), Row("deal-2", 6, 6), Row("deal-3", 1, 1), Row("deal-3", 3, 3), Row("deal-3", 2, 2)]);

        Assert.Equal(["deal-2", "deal-3"], written.Order());
        Assert.Equal([5], (await rows.GetAsync("deal-1"))!.Payload);
        Assert.Equal([6], (await rows.GetAsync("deal-2"))!.Payload);
        var repeated = await rows.GetAsync("deal-3");
        Assert.Equal(3L, repeated!.Version);
        Assert.Equal([3], repeated.Payload);
    }

    [Fact]
    public async Task A_bulk_write_of_binary_rows_that_fails_before_commit_writes_none_and_its_retry_writes_all()
    {
        var rows = NewRows();
        var batch = Enumerable.Range(0, 50).Select(i => Row($"deal-{i:D2}", 1, (byte)i)).ToList();

        FailNextBulkWrites(1);
        await Assert.ThrowsAsync<IOException>(() => rows.UpsertManyIfNewerAsync(batch));

        Assert.Equal(0, await rows.CountAsync());
        Assert.Equal(batch.Select(row => row.Id), (await rows.UpsertManyIfNewerAsync(batch)).Order());
    }

    [Fact]
    public async Task An_unconditional_bulk_write_of_binary_rows_overwrites_whatever_is_stored_and_a_row_can_be_deleted()
    {
        var rows = NewRows();
        await rows.UpsertIfNewerAsync(Row("deal-1", 9, 9));

        await rows.UpsertManyAsync([Row("deal-1", 0, 1), Row("deal-2", 0, 2), Row("deal-2", 0, 22)]);

        Assert.Equal([1], (await rows.GetAsync("deal-1"))!.Payload);
        Assert.Equal([22], (await rows.GetAsync("deal-2"))!.Payload);
        Assert.True(await rows.DeleteAsync("deal-1"));
        Assert.False(await rows.DeleteAsync("deal-1"));
        Assert.Equal(1, await rows.CountAsync());
    }

    [Fact]
    public async Task Moving_documents_to_binary_rows_moves_every_one_keeps_a_newer_row_already_there_and_empties_the_old_collection()
    {
        var documents = NewDeals();
        var rows = NewRows();
        await documents.UpsertManyAsync(Enumerable.Range(0, 12_000)
            .Select(i => KeyValuePair.Create($"deal-{i:D5}", TestDeal.Sample(name: $"deal-{i:D5}", stage: $"stage {i}"))).ToList());
        await rows.UpsertIfNewerAsync(Row("deal-00007", 99, 7));

        var moved = await LayoutMigration.MoveAsync(documents, rows,
            deal => Row(deal.Name, 1, System.Text.Encoding.UTF8.GetBytes(deal.Stage)), CancellationToken.None);

        Assert.Equal(12_000, moved);
        Assert.Equal(0, await documents.CountAsync());
        Assert.Equal(12_000, await rows.CountAsync());
        Assert.Equal("stage 11999", System.Text.Encoding.UTF8.GetString((await rows.GetAsync("deal-11999"))!.Payload));
        Assert.Equal([7], (await rows.GetAsync("deal-00007"))!.Payload);
    }

    [Fact]
    public async Task Moving_documents_whose_content_names_another_id_stops_with_a_clear_error_instead_of_looping()
    {
        var documents = NewDeals();
        await documents.UpsertAsync("stored-id", TestDeal.Sample(name: "content-id"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LayoutMigration.MoveAsync(documents, NewRows(),
            deal => Row(deal.Name, 1, 1), CancellationToken.None));

        Assert.Contains("'content-id'", error.Message);
        Assert.Equal(1, await documents.CountAsync());
    }
}
