namespace DealRisk.Storage.Tests;

/// <summary>What every <see cref="IDocumentStore"/> adapter must do; each adapter's test class inherits it.</summary>
public abstract partial class DocumentStoreContract
{
    private static readonly string[] DealIndexes =
        ["stage", "isOpen", "probability", "closeDate", "updatedAt", "createdAtUtc", "ownerId", "priority", "nextStep"];

    private static readonly Guid OwnerA = Guid.Parse("0b5a7d3e-1111-4c4c-9d9d-222233334444");

    /// <summary>The store shared by the tests of one class; every test uses collections of its own.</summary>
    protected abstract IDocumentStore Store { get; }

    /// <summary>A second, independent store over the same data, as another process would open it.</summary>
    protected abstract OpenedStore OpenStoreOverSameData();

    /// <summary>Makes the store's next bulk writes fail after writing their documents, before commit or acknowledgement.</summary>
    protected abstract void FailNextBulkWrites(int count);

    private IDocumentCollection<TestDeal> NewDeals() => Store.GetCollection<TestDeal>(NewCollectionName(), DealIndexes);

    private static string NewCollectionName() => "deals-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Get_returns_null_for_an_unknown_id()
    {
        Assert.Null(await NewDeals().GetAsync("missing"));
    }

    [Fact]
    public async Task A_record_with_nested_lists_decimals_dates_guids_and_nulls_round_trips()
    {
        var deals = NewDeals();
        var deal = TestDeal.Sample() with { NextStep = null, LostOn = new DateOnly(2025, 4, 1), PreviousOwnerId = Guid.NewGuid() };

        await deals.UpsertAsync("deal-1", deal);
        var stored = await deals.GetAsync("deal-1");

        Assert.NotNull(stored);
        Assert.Equivalent(deal, stored, strict: true);
        Assert.Equal(deal.UpdatedAt.UtcDateTime, stored.UpdatedAt.UtcDateTime);
        Assert.Equal(125_000.50m, stored.Amount);
        Assert.Null(stored.NextStep);
    }

    [Fact]
    public async Task A_document_with_its_own_Id_property_keeps_it_apart_from_the_key()
    {
        var receipts = Store.GetCollection<Receipt>(NewCollectionName());
        var receipt = new Receipt { Id = Guid.NewGuid(), MessageType = "DealSynced" };

        await receipts.UpsertAsync("message-7", receipt);

        Assert.Equal(receipt, await receipts.GetAsync("message-7"));
    }

    [Fact]
    public async Task Upsert_overwrites_the_stored_document()
    {
        var deals = NewDeals();
        await deals.UpsertAsync("deal-1", TestDeal.Sample(stage: "proposal"));

        await deals.UpsertAsync("deal-1", TestDeal.Sample(stage: "won"));

        Assert.Equal("won", (await deals.GetAsync("deal-1"))!.Stage);
        Assert.Equal(1, await deals.CountAsync());
    }

    [Fact]
    public async Task Upsert_if_newer_writes_when_nothing_is_stored()
    {
        var deals = NewDeals();

        Assert.True(await deals.UpsertIfNewerAsync("deal-1", 3, TestDeal.Sample()));
        Assert.NotNull(await deals.GetAsync("deal-1"));
    }

    [Fact]
    public async Task Upsert_if_newer_accepts_a_newer_version()
    {
        var deals = NewDeals();
        await deals.UpsertIfNewerAsync("deal-1", 3, TestDeal.Sample(stage: "proposal"));

        Assert.True(await deals.UpsertIfNewerAsync("deal-1", 4, TestDeal.Sample(stage: "won")));
        Assert.Equal("won", (await deals.GetAsync("deal-1"))!.Stage);
    }

    [Fact]
    public async Task Upsert_many_if_newer_writes_the_newer_and_absent_documents_and_says_which()
    {
        var deals = NewDeals();
        await deals.UpsertIfNewerAsync("deal-1", 3, TestDeal.Sample(stage: "won"));
        await deals.UpsertIfNewerAsync("deal-2", 3, TestDeal.Sample(stage: "demo"));

        var written = await deals.UpsertManyIfNewerAsync(
        [
            new("deal-1", 2, TestDeal.Sample(stage: "proposal")),
            new("deal-2", 4, TestDeal.Sample(stage: "proposal")),
            new("deal-3", 1, TestDeal.Sample(stage: "lead")),
        ]);

        Assert.Equal(["deal-2", "deal-3"], written.Order());
        Assert.Equal(("won", "proposal", "lead"), ((await deals.GetAsync("deal-1"))!.Stage, (await deals.GetAsync("deal-2"))!.Stage, (await deals.GetAsync("deal-3"))!.Stage));
    }

    [Fact]
    public async Task Upsert_if_newer_ignores_an_older_version()
    {
        var deals = NewDeals();
        await deals.UpsertIfNewerAsync("deal-1", 3, TestDeal.Sample(stage: "won"));

        Assert.False(await deals.UpsertIfNewerAsync("deal-1", 2, TestDeal.Sample(stage: "proposal")));
        Assert.Equal("won", (await deals.GetAsync("deal-1"))!.Stage);
    }

    [Fact]
    public async Task Upsert_if_newer_ignores_an_equal_version()
    {
        var deals = NewDeals();
        await deals.UpsertIfNewerAsync("deal-1", 3, TestDeal.Sample(stage: "won"));

        Assert.False(await deals.UpsertIfNewerAsync("deal-1", 3, TestDeal.Sample(stage: "proposal")));
        Assert.Equal("won", (await deals.GetAsync("deal-1"))!.Stage);
    }

    [Fact]
    public async Task Upsert_if_newer_accepts_any_version_above_a_plain_upsert()
    {
        var deals = NewDeals();
        await deals.UpsertAsync("deal-1", TestDeal.Sample(stage: "proposal"));

        Assert.True(await deals.UpsertIfNewerAsync("deal-1", 1, TestDeal.Sample(stage: "won")));
    }

    [Fact]
    public async Task Upsert_if_newer_keeps_the_highest_version_when_versions_race()
    {
        var deals = NewDeals();

        await Task.WhenAll(Enumerable.Range(1, 16).Select(version => Task.Run(() =>
            deals.UpsertIfNewerAsync("deal-1", version, TestDeal.Sample(stage: "v" + version)))));

        Assert.Equal("v16", (await deals.GetAsync("deal-1"))!.Stage);
    }

    [Fact]
    public async Task Insert_if_absent_lets_only_the_first_caller_win()
    {
        var deals = NewDeals();

        Assert.True(await deals.InsertIfAbsentAsync("deal-1", TestDeal.Sample(stage: "first")));
        Assert.False(await deals.InsertIfAbsentAsync("deal-1", TestDeal.Sample(stage: "second")));
        Assert.Equal("first", (await deals.GetAsync("deal-1"))!.Stage);
    }

    [Fact]
    public async Task Insert_if_absent_lets_exactly_one_of_sixteen_concurrent_callers_win()
    {
        var receipts = Store.GetCollection<Receipt>(NewCollectionName());
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait();
            return receipts.InsertIfAbsentAsync("claim", new Receipt { Id = Guid.NewGuid(), MessageType = "caller-" + i });
        })).ToList();

        start.Set();
        var wins = await Task.WhenAll(callers);

        Assert.Single(wins, won => won);
        Assert.Equal(1, await receipts.CountAsync());
    }

    [Fact]
    public async Task Stores_of_four_replicas_declaring_one_collection_and_its_indexes_at_once_all_succeed()
    {
        var name = NewCollectionName();
        var replicas = Enumerable.Range(0, 4).Select(_ => OpenStoreOverSameData()).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var declarations = replicas.Select((replica, i) => Task.Run(async () =>
            {
                start.Wait();
                var deals = replica.Store.GetCollection<TestDeal>(name, DealIndexes);
                await deals.UpsertAsync("deal-" + i, TestDeal.Sample(stage: "won"));
            })).ToList();

            start.Set();
            await Task.WhenAll(declarations);

            foreach (var replica in replicas)
                Assert.Equal(4, await replica.Store.GetCollection<TestDeal>(name, DealIndexes).CountAsync("stage", "won"));
        }
        finally
        {
            foreach (var replica in replicas)
                await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task Of_two_replicas_writing_the_next_version_at_once_exactly_one_wins()
    {
        var name = NewCollectionName();
        await Store.GetCollection<TestDeal>(name).UpsertIfNewerAsync("claim", 1, TestDeal.Sample(stage: "pending"));
        await using var other = OpenStoreOverSameData();
        using var start = new ManualResetEventSlim();
        var writers = new[] { Store, other.Store }.Select((store, i) => Task.Run(() =>
        {
            start.Wait();
            return store.GetCollection<TestDeal>(name).UpsertIfNewerAsync("claim", 2, TestDeal.Sample(stage: "claimed-by-" + i));
        })).ToList();

        start.Set();
        var wins = await Task.WhenAll(writers);

        var winner = Assert.Single(Enumerable.Range(0, 2), i => wins[i]);
        Assert.Equal("claimed-by-" + winner, (await Store.GetCollection<TestDeal>(name).GetAsync("claim"))!.Stage);
    }

    [Fact]
    public async Task A_usable_store_answers_a_ping()
    {
        await Store.PingAsync();
    }

    [Fact]
    public async Task Upsert_many_writes_ten_thousand_documents()
    {
        var deals = NewDeals();
        var batch = Enumerable.Range(0, 10_000)
            .Select(i => KeyValuePair.Create("deal-" + i, TestDeal.Sample(name: "Deal " + i, stage: i % 4 == 0 ? "won" : "open")))
            .ToList();

        await deals.UpsertManyAsync(batch);

        Assert.Equal(10_000, await deals.CountAsync());
        Assert.Equal(2_500, await deals.CountAsync("stage", "won"));
        Assert.Equal("Deal 9999", (await deals.GetAsync("deal-9999"))!.Name);
    }

    [Fact]
    public async Task Get_many_returns_the_stored_documents_among_the_ids_and_leaves_out_unknown_ones()
    {
        var deals = NewDeals();
        await deals.UpsertManyAsync(Enumerable.Range(0, 1_200)
            .Select(i => KeyValuePair.Create("deal-" + i, TestDeal.Sample(name: "Deal " + i)))
            .ToList());
        var wanted = Enumerable.Range(0, 1_200).Where(i => i % 2 == 0).Select(i => "deal-" + i)
            .Append("deal-unknown")
            .ToList();

        var names = new List<string>();
        await foreach (var deal in deals.GetManyAsync(wanted))
            names.Add(deal.Name);

        Assert.Equal(600, names.Count);
        Assert.Equal(
            Enumerable.Range(0, 1_200).Where(i => i % 2 == 0).Select(i => "Deal " + i).Order(),
            names.Order());
    }

    [Fact]
    public async Task Get_many_of_no_ids_returns_nothing()
    {
        var deals = NewDeals();
        await deals.UpsertAsync("deal-1", TestDeal.Sample());

        var found = 0;
        await foreach (var _ in deals.GetManyAsync([]))
            found++;

        Assert.Equal(0, found);
    }

    [Fact]
    public async Task Upsert_many_overwrites_existing_documents()
    {
        var deals = NewDeals();
        await deals.UpsertAsync("deal-1", TestDeal.Sample(stage: "proposal"));

        await deals.UpsertManyAsync([KeyValuePair.Create("deal-1", TestDeal.Sample(stage: "won")), KeyValuePair.Create("deal-2", TestDeal.Sample())]);

        Assert.Equal("won", (await deals.GetAsync("deal-1"))!.Stage);
        Assert.Equal(2, await deals.CountAsync());
    }

    [Fact]
    public async Task Upsert_many_accepts_an_empty_batch()
    {
        var deals = NewDeals();

        await deals.UpsertManyAsync([]);

        Assert.Equal(0, await deals.CountAsync());
    }

    [Fact]
    public async Task Find_matches_an_indexed_string_field()
    {
        var deals = await SeedAsync();

        var won = await deals.FindAsync("stage", "won").ToListAsync();

        Assert.Equal(["b"], won.Select(d => d.Name).Order());
    }

    [Fact]
    public async Task Find_matches_an_indexed_bool_field()
    {
        var deals = await SeedAsync();

        var closed = await deals.FindAsync("isOpen", false).ToListAsync();

        Assert.Equal(["b", "c"], closed.Select(d => d.Name).Order());
    }

    [Fact]
    public async Task Find_matches_an_indexed_date_only_field()
    {
        var deals = await SeedAsync();

        var closingInApril = await deals.FindAsync("closeDate", new DateOnly(2025, 4, 30)).ToListAsync();

        Assert.Equal(["c"], closingInApril.Select(d => d.Name));
    }

    [Fact]
    public async Task Find_matches_an_indexed_date_time_offset_field_at_the_same_instant_in_any_offset()
    {
        var deals = await SeedAsync();
        var instant = new DateTimeOffset(2025, 2, 1, 12, 0, 0, TimeSpan.Zero);

        var updated = await deals.FindAsync("updatedAt", instant.ToOffset(TimeSpan.FromHours(-5))).ToListAsync();

        Assert.Equal(["a"], updated.Select(d => d.Name));
    }

    [Fact]
    public async Task Find_matches_an_indexed_utc_date_time_field()
    {
        var deals = await SeedAsync();

        var created = await deals.FindAsync("createdAtUtc", new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc)).ToListAsync();

        Assert.Equal(["b"], created.Select(d => d.Name));
    }

    [Fact]
    public async Task Find_matches_indexed_guid_enum_and_number_fields()
    {
        var deals = await SeedAsync();

        Assert.Equal(["a", "c"], (await deals.FindAsync("ownerId", OwnerA).ToListAsync()).Select(d => d.Name).Order());
        Assert.Equal(["c"], (await deals.FindAsync("priority", DealPriority.Low).ToListAsync()).Select(d => d.Name));
        Assert.Equal(["b"], (await deals.FindAsync("probability", 100).ToListAsync()).Select(d => d.Name));
        Assert.Equal(["b"], (await deals.FindAsync("probability", 100L).ToListAsync()).Select(d => d.Name));
    }

    [Fact]
    public async Task Find_with_null_matches_documents_whose_field_is_null()
    {
        var deals = await SeedAsync();

        var withoutNextStep = await deals.FindAsync("nextStep", null).ToListAsync();

        Assert.Equal(["b", "c"], withoutNextStep.Select(d => d.Name).Order());
    }

    [Fact]
    public async Task Find_follows_overwritten_and_deleted_documents()
    {
        var deals = await SeedAsync();

        await deals.UpsertAsync("b", TestDeal.Sample(name: "b", stage: "lost"));
        await deals.DeleteAsync("a");

        Assert.Empty(await deals.FindAsync("stage", "won").ToListAsync());
        Assert.Equal(["b"], (await deals.FindAsync("stage", "lost").ToListAsync()).Select(d => d.Name));
        Assert.Equal(1, await deals.CountAsync("ownerId", OwnerA));
    }

    [Fact]
    public async Task Count_with_a_filter_counts_only_matching_documents()
    {
        var deals = await SeedAsync();

        Assert.Equal(3, await deals.CountAsync());
        Assert.Equal(2, await deals.CountAsync("stage", "proposal"));
        Assert.Equal(1, await deals.CountAsync("isOpen", true));
        Assert.Equal(0, await deals.CountAsync("stage", "nobody-uses-this"));
    }

    [Fact]
    public async Task Scan_streams_every_document()
    {
        var deals = NewDeals();
        await deals.UpsertManyAsync(Enumerable.Range(0, 1_500).Select(i => KeyValuePair.Create("deal-" + i, TestDeal.Sample(name: "n" + i))).ToList());

        var names = new HashSet<string>();
        await foreach (var deal in deals.ScanAsync())
            names.Add(deal.Name);

        Assert.Equal(1_500, names.Count);
    }

    [Fact]
    public async Task Delete_removes_the_document_and_reports_whether_it_existed()
    {
        var deals = NewDeals();
        await deals.UpsertAsync("deal-1", TestDeal.Sample());

        Assert.True(await deals.DeleteAsync("deal-1"));
        Assert.False(await deals.DeleteAsync("deal-1"));
        Assert.Null(await deals.GetAsync("deal-1"));
        Assert.Equal(0, await deals.CountAsync());
    }

    [Fact]
    public async Task Delete_by_ids_removes_exactly_those_documents_and_counts_only_the_ones_it_found()
    {
        var deals = NewDeals();
        await deals.UpsertManyAsync(Enumerable.Range(0, 5).Select(i => KeyValuePair.Create("deal-" + i, TestDeal.Sample())).ToList());

        Assert.Equal(2, await deals.DeleteByIdsAsync(["deal-1", "deal-3", "deal-9", "deal-1"]));
        Assert.Equal(0, await deals.DeleteByIdsAsync(["deal-1", "deal-3"]));
        Assert.Equal(0, await deals.DeleteByIdsAsync([]));
        Assert.Equal(3, await deals.CountAsync());
        Assert.Null(await deals.GetAsync("deal-1"));
        Assert.NotNull(await deals.GetAsync("deal-0"));
        Assert.NotNull(await deals.GetAsync("deal-4"));
    }

    [Fact]
    public async Task Delete_many_removes_exactly_the_documents_whose_field_matches_and_counts_them()
    {
        var deals = NewDeals();
        await deals.UpsertManyAsync(Enumerable.Range(0, 5).Select(i => KeyValuePair.Create("deal-" + i, TestDeal.Sample(stage: i < 3 ? "demo" : "won"))).ToList());

        Assert.Equal(3, await deals.DeleteManyAsync("stage", "demo"));
        Assert.Equal(0, await deals.DeleteManyAsync("stage", "demo"));
        Assert.Equal(2, await deals.CountAsync());
        Assert.Equal(2, await deals.CountAsync("stage", "won"));
        Assert.NotNull(await deals.GetAsync("deal-3"));
        Assert.Null(await deals.GetAsync("deal-0"));
    }

    [Fact]
    public async Task Filtering_on_a_field_that_is_not_indexed_throws_naming_the_field()
    {
        var deals = Store.GetCollection<TestDeal>(NewCollectionName(), "stage");

        var find = await Assert.ThrowsAsync<ArgumentException>(async () => await deals.FindAsync("name", "a").ToListAsync());
        var count = await Assert.ThrowsAsync<ArgumentException>(() => deals.CountAsync("amount", 1));

        Assert.Contains("'name'", find.Message);
        Assert.Contains("'amount'", count.Message);
    }

    [Fact]
    public async Task Collections_are_isolated()
    {
        var first = NewDeals();
        var second = NewDeals();

        await first.UpsertAsync("deal-1", TestDeal.Sample(stage: "won"));

        Assert.Null(await second.GetAsync("deal-1"));
        Assert.Equal(0, await second.CountAsync());
        Assert.Equal(0, await second.CountAsync("stage", "won"));
    }

    [Fact]
    public async Task A_field_declared_indexed_later_finds_documents_written_before()
    {
        var name = NewCollectionName();
        await Store.GetCollection<TestDeal>(name).UpsertAsync("deal-1", TestDeal.Sample(stage: "won"));
        await Store.GetCollection<TestDeal>(name, "isOpen").UpsertAsync("deal-2", TestDeal.Sample(stage: "lost") with { NextStep = "call" });

        var deals = Store.GetCollection<TestDeal>(name, "stage", "nextStep");

        Assert.Equal(1, await deals.CountAsync("stage", "won"));
        Assert.Equal(1, await deals.CountAsync("stage", "lost"));
        Assert.Equal(["won"], (await deals.FindAsync("nextStep", null).ToListAsync()).Select(d => d.Stage));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_on_many_threads_all_succeed()
    {
        var deals = NewDeals();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await deals.UpsertAsync($"deal-{writer}-{i}", TestDeal.Sample(stage: "w" + writer));
                Assert.NotNull(await deals.GetAsync($"deal-{writer}-{i}"));
                await deals.CountAsync("stage", "w" + writer);
            }
        })));

        Assert.Equal(800, await deals.CountAsync());
        Assert.Equal(100, await deals.CountAsync("stage", "w3"));
    }

    [Fact]
    public async Task Data_survives_reopening_the_store()
    {
        var name = NewCollectionName();
        await using (var writer = OpenStoreOverSameData())
        {
            var deals = writer.Store.GetCollection<TestDeal>(name, "stage");
            await deals.UpsertIfNewerAsync("deal-1", 5, TestDeal.Sample(stage: "won"));
            await deals.UpsertManyAsync([KeyValuePair.Create("deal-2", TestDeal.Sample())]);
        }

        await using var reader = OpenStoreOverSameData();
        var reopened = reader.Store.GetCollection<TestDeal>(name, "stage");

        Assert.Equal("won", (await reopened.GetAsync("deal-1"))!.Stage);
        Assert.Equal(2, await reopened.CountAsync());
        Assert.Equal(1, await reopened.CountAsync("stage", "won"));
        Assert.False(await reopened.UpsertIfNewerAsync("deal-1", 5, TestDeal.Sample(stage: "lost")));
    }

    private async Task<IDocumentCollection<TestDeal>> SeedAsync()
    {
        var deals = NewDeals();
        await deals.UpsertAsync("a", TestDeal.Sample(name: "a", stage: "proposal") with
        {
            OwnerId = OwnerA,
            NextStep = "send contract",
            UpdatedAt = new DateTimeOffset(2025, 2, 1, 13, 0, 0, TimeSpan.FromHours(1)),
        });
        await deals.UpsertAsync("b", TestDeal.Sample(name: "b", stage: "won") with
        {
            IsOpen = false,
            Probability = 100,
            CreatedAtUtc = new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc),
        });
        await deals.UpsertAsync("c", TestDeal.Sample(name: "c", stage: "proposal") with
        {
            IsOpen = false,
            OwnerId = OwnerA,
            Priority = DealPriority.Low,
            CloseDate = new DateOnly(2025, 4, 30),
        });
        return deals;
    }

    [Fact]
    public async Task A_bulk_upsert_if_newer_that_fails_part_way_writes_nothing_so_its_retry_reports_every_document_written()
    {
        var deals = NewDeals();
        var batch = Enumerable.Range(0, 50).Select(i => new VersionedDocument<TestDeal>($"deal-{i}", 1, TestDeal.Sample(name: $"Deal {i}"))).ToList();

        FailNextBulkWrites(1);
        await Assert.ThrowsAsync<IOException>(() => deals.UpsertManyIfNewerAsync(batch));

        Assert.Equal(0, await deals.CountAsync());
        var written = await deals.UpsertManyIfNewerAsync(batch);
        Assert.Equal(batch.Select(d => d.Id).Order(), written.Order());
    }

    [Fact]
    public async Task Writes_to_two_collections_in_one_transaction_are_stored_together_and_say_which_were_newer()
    {
        var deals = NewDeals();
        var notes = Store.GetCollection<TestDeal>(NewCollectionName());
        await deals.UpsertIfNewerAsync("deal-1", 5, TestDeal.Sample(stage: "stored"));

        var written = await Store.WriteTogetherAsync(async transaction =>
        {
            var newer = await transaction.UpsertManyIfNewerAsync(deals, [new("deal-1", 4, TestDeal.Sample(stage: "older")), new("deal-2", 1, TestDeal.Sample(stage: "new"))]);
            await transaction.UpsertAsync(notes, "note-1", TestDeal.Sample(name: "note"));
            return newer;
        });

        Assert.Equal(["deal-2"], written);
        Assert.Equal("stored", (await deals.GetAsync("deal-1"))!.Stage);
        Assert.Equal("new", (await deals.GetAsync("deal-2"))!.Stage);
        Assert.Equal("note", (await notes.GetAsync("note-1"))!.Name);
    }

    [Fact]
    public async Task A_transaction_over_two_collections_that_fails_before_commit_writes_to_neither_so_its_retry_writes_everything()
    {
        var deals = NewDeals();
        var index = Store.GetCollection<TestDeal>(NewCollectionName());
        var batch = Enumerable.Range(0, 20).Select(i => new VersionedDocument<TestDeal>($"deal-{i}", 1, TestDeal.Sample(name: $"Deal {i}"))).ToList();
        Task<IReadOnlySet<string>> WriteBoth() => Store.WriteTogetherAsync(async transaction =>
        {
            var written = await transaction.UpsertManyIfNewerAsync(deals, batch);
            await transaction.UpsertManyIfNewerAsync(index, batch);
            return written;
        });

        FailNextBulkWrites(1);
        await Assert.ThrowsAsync<IOException>(WriteBoth);

        Assert.Equal((0, 0), (await deals.CountAsync(), await index.CountAsync()));
        Assert.Equal(batch.Select(d => d.Id).Order(), (await WriteBoth()).Order());
        Assert.Equal((20, 20), (await deals.CountAsync(), await index.CountAsync()));
    }

    [Fact]
    public async Task A_transaction_whose_work_throws_after_its_first_write_leaves_that_write_undone()
    {
        var deals = NewDeals();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteTogetherAsync<int>(async transaction =>
        {
            await transaction.UpsertAsync(deals, "deal-1", TestDeal.Sample());
            throw new InvalidOperationException("The process failed between two writes.");
        }));

        Assert.Null(await deals.GetAsync("deal-1"));
        Assert.Equal(0, await deals.CountAsync());
    }

    [Fact]
    public async Task A_transaction_refuses_a_collection_of_another_store_and_writes_nothing()
    {
        var deals = NewDeals();
        await using var other = OpenStoreOverSameData();
        var foreign = other.Store.GetCollection<TestDeal>(NewCollectionName());

        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteTogetherAsync(async transaction =>
        {
            await transaction.UpsertAsync(deals, "deal-1", TestDeal.Sample());
            await transaction.UpsertAsync(foreign, "deal-1", TestDeal.Sample());
            return 0;
        }));

        Assert.Equal(0, await deals.CountAsync());
    }

    [Fact]
    public async Task A_bulk_upsert_that_fails_before_its_acknowledgement_leaves_every_document_stored_once_retried()
    {
        var deals = NewDeals();
        var batch = Enumerable.Range(0, 50).Select(i => KeyValuePair.Create($"deal-{i}", TestDeal.Sample(name: $"Deal {i}"))).ToList();

        FailNextBulkWrites(1);
        await Assert.ThrowsAsync<IOException>(() => deals.UpsertManyAsync(batch));
        await deals.UpsertManyAsync(batch);

        Assert.Equal(50, await deals.CountAsync());
        Assert.Equal("Deal 7", (await deals.GetAsync("deal-7"))!.Name);
    }

    [Fact]
    public async Task A_bulk_upsert_if_newer_with_one_id_twice_keeps_the_highest_version_and_reports_the_id_once()
    {
        var deals = NewDeals();
        await deals.UpsertIfNewerAsync("deal-2", 5, TestDeal.Sample(stage: "stored"));

        var written = await deals.UpsertManyIfNewerAsync(
        [
            new("deal-1", 2, TestDeal.Sample(stage: "second")),
            new("deal-1", 3, TestDeal.Sample(stage: "third")),
            new("deal-1", 1, TestDeal.Sample(stage: "first")),
            new("deal-2", 4, TestDeal.Sample(stage: "older")),
            new("deal-2", 6, TestDeal.Sample(stage: "newer")),
        ]);

        Assert.Equal(["deal-1", "deal-2"], written.Order());
        Assert.Equal("third", (await deals.GetAsync("deal-1"))!.Stage);
        Assert.Equal("newer", (await deals.GetAsync("deal-2"))!.Stage);
        Assert.Equal(2, await deals.CountAsync());
    }

    [Fact]
    public async Task A_bulk_upsert_with_one_id_twice_keeps_the_last()
    {
        var deals = NewDeals();

        await deals.UpsertManyAsync([KeyValuePair.Create("deal-1", TestDeal.Sample(stage: "first")), KeyValuePair.Create("deal-1", TestDeal.Sample(stage: "last"))]);

        Assert.Equal("last", (await deals.GetAsync("deal-1"))!.Stage);
        Assert.Equal(1, await deals.CountAsync());
    }

    [Fact]
    public async Task A_document_just_under_the_16_MiB_limit_is_stored_and_read_back()
    {
        var deals = NewDeals();
        var deal = TestDeal.Sample() with { NextStep = new string('x', DocumentSizeLimit.MaxBytes - 4096) };

        await deals.UpsertAsync("big", deal);

        Assert.Equal(deal.NextStep, (await deals.GetAsync("big"))!.NextStep);
    }

    [Fact]
    public async Task A_document_over_the_16_MiB_limit_is_refused_by_every_write_naming_it_and_a_bulk_write_holding_it_writes_nothing()
    {
        var deals = NewDeals();
        var oversize = TestDeal.Sample() with { NextStep = new string('x', DocumentSizeLimit.MaxBytes) };

        var refused = await Assert.ThrowsAsync<DocumentTooLargeException>(() => deals.UpsertAsync("huge", oversize));
        Assert.Equal("huge", refused.Id);
        Assert.Contains("huge", refused.Message);
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => deals.UpsertIfNewerAsync("huge", 1, oversize));
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => deals.InsertIfAbsentAsync("huge", oversize));
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => deals.UpsertManyAsync(
            [KeyValuePair.Create("small", TestDeal.Sample()), KeyValuePair.Create("huge", oversize)]));
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => deals.UpsertManyIfNewerAsync(
            [new VersionedDocument<TestDeal>("small", 1, TestDeal.Sample()), new VersionedDocument<TestDeal>("huge", 1, oversize)]));

        Assert.Equal(0, await deals.CountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Deals")]
    [InlineData("deals.archive")]
    [InlineData("deals$")]
    [InlineData("1deals")]
    [InlineData("system-profile")]
    [InlineData("sqlite_master")]
    [InlineData("deals; DROP TABLE x")]
    public void A_collection_name_valid_in_only_one_of_SQLite_and_MongoDB_is_refused_by_both(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => Store.GetCollection<TestDeal>(name));
    }

    [Fact]
    public void A_collection_name_over_one_hundred_characters_is_refused_and_one_of_one_hundred_is_taken()
    {
        Assert.ThrowsAny<ArgumentException>(() => Store.GetCollection<TestDeal>("d" + new string('x', CollectionNames.MaxLength)));
        Assert.NotNull(Store.GetCollection<TestDeal>("d" + Guid.NewGuid().ToString("N") + new string('x', CollectionNames.MaxLength - 33)));
    }

    [Fact]
    public async Task A_scan_read_slowly_while_others_write_yields_every_document_stored_at_its_start_exactly_once()
    {
        var deals = NewDeals();
        await deals.UpsertManyAsync(Enumerable.Range(0, 3000).Select(i => KeyValuePair.Create($"deal-{i:D4}", TestDeal.Sample(name: $"Deal {i}"))).ToList());

        var seen = new List<string>();
        var written = 0;
        await foreach (var deal in deals.ScanAsync())
        {
            seen.Add(deal.Name);
            if (seen.Count % 500 != 0)
                continue;
            await Task.Delay(50);
            await deals.UpsertAsync($"deal-{seen.Count:D4}", TestDeal.Sample(name: $"Deal {seen.Count}", stage: "rewritten"));
            await deals.UpsertAsync($"late-{written++}", TestDeal.Sample(name: $"Late {written}"));
        }

        var original = seen.Where(name => name.StartsWith("Deal ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3000, original.Count);
        Assert.Equal(3000, original.Distinct().Count());
    }
}
