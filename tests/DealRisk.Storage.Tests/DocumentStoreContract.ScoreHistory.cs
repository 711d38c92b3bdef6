using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Storage;
using MemoryPack;
using Microsoft.Extensions.Options;

namespace DealRisk.Storage.Tests;

/// <summary>The score history's append-only rows and heads on every adapter: what scoring relies on.</summary>
public abstract partial class DocumentStoreContract
{
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Score_history_reads_back_newest_first_across_months_and_a_repeated_score_is_kept_once()
    {
        var history = History(Store);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start, 1, 40)], Keep, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(25), 2, 70)], Keep, CancellationToken.None);
        var again = await history.AppendAsync([Entry(deal, Start.AddDays(25), 2, 99)], Keep, CancellationToken.None);

        var entries = await history.ReadAsync(deal, CancellationToken.None);

        Assert.Equal([70, 40], entries.Select(entry => entry.Score));
        Assert.Equal(70, Assert.Single(again).Score);
        Assert.Equal(Start.AddDays(25), entries[0].AsOf);
        Assert.Equal("stage_regressions", Assert.Single(entries[0].Factors).Signal);
        Assert.Equal("hubspot-webhook", entries[0].Trigger.Source);
    }

    [Fact]
    public async Task Each_appended_score_is_completed_against_the_deals_previous_score_also_across_a_month_boundary()
    {
        var history = History(Store);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start.AddDays(20), 1, 40)], Keep, CancellationToken.None);

        var seen = new List<int?>();
        await history.AppendAsync([Entry(deal, Start.AddDays(23), 2, 55)], (previous, entry) => { seen.Add(previous?.Score); return entry; }, CancellationToken.None);

        Assert.Equal([40], seen);
    }

    [Fact]
    public async Task Two_stores_appending_to_one_deal_at_once_lose_no_score()
    {
        await using var other = OpenStoreOverSameData();
        var deal = NewDealKey();
        var (first, second) = (History(Store), History(other.Store));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            (i % 2 == 0 ? first : second).AppendAsync([Entry(deal, Start.AddHours(i), i + 1, i)], Keep, CancellationToken.None)));

        Assert.Equal(4, (await first.ReadAsync(deal, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Scores_more_than_the_retention_older_than_the_newest_are_dropped_and_their_months_pruned()
    {
        var history = History(Store, retentionDays: 30);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start, 1, 10)], Keep, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(10), 2, 20)], Keep, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(75), 3, 30)], Keep, CancellationToken.None);

        Assert.Equal([30], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
        Assert.True(await history.PruneAsync(Start.AddDays(75), CancellationToken.None) >= 2);
        Assert.Equal(1, await Store.GetBinaryLog(ScoreHistoryLog.LogName, ScoreHistoryEncoding.DayOf).CountAsync(deal));
    }

    [Fact]
    public async Task A_score_older_than_the_deals_newest_is_completed_against_its_own_predecessor_and_kept_once()
    {
        var history = History(Store);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start, 1, 10)], Keep, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(2), 3, 30)], Keep, CancellationToken.None);

        var seen = new List<int?>();
        ScoreHistoryEntry Record(ScoreHistoryEntry? previous, ScoreHistoryEntry entry) { seen.Add(previous?.Score); return entry; }
        await history.AppendAsync([Entry(deal, Start.AddDays(1), 2, 20)], Record, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(1), 2, 20)], Record, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(3), 4, 40)], Record, CancellationToken.None);

        Assert.Equal([10, 30], seen);
        Assert.Equal([40, 30, 20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
    }

    [Fact]
    public async Task An_append_reads_the_deals_head_not_its_earlier_rows()
    {
        var history = History(Store);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start, 1, 10)], Keep, CancellationToken.None);
        await history.AppendAsync([Entry(deal, Start.AddDays(1), 2, 20)], Keep, CancellationToken.None);
        // A head no row matches: only an append that reads the head sees its score.
        var planted = Entry(deal, Start.AddDays(1).AddHours(1), 2, 99);
        await Store.GetBinaryLog(ScoreHistoryLog.LogName, ScoreHistoryEncoding.DayOf).AppendAsync([],
            [new BinaryLogHead(deal, ScoreHistoryEncoding.MonthOf(planted.AsOf), 100, ScoreHistoryEncoding.Encode(planted))]);

        var seen = new List<int?>();
        await history.AppendAsync([Entry(deal, Start.AddDays(2), 3, 30)], (previous, entry) => { seen.Add(previous?.Score); return entry; }, CancellationToken.None);

        Assert.Equal([99], seen);
        Assert.Equal([30, 20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
    }

    [Fact]
    public async Task Score_history_stored_as_documents_by_an_earlier_release_is_moved_to_the_log_once_and_appends_carry_on_from_its_heads()
    {
        var (deal, other) = (NewDealKey(), NewDealKey());
        var legacyRows = Store.GetCollection<ScoreHistoryRow>(ScoreHistoryRow.LegacyCollection, "dealKey", "month");
        var legacyHeads = Store.GetCollection<ScoreHistoryHead>(ScoreHistoryHead.LegacyCollection, "month");
        var stored = new[] { Entry(deal, Start, 1, 10), Entry(deal, Start.AddDays(25), 2, 20), Entry(other, Start, 1, 50) };
        await legacyRows.UpsertManyAsync([.. stored.Select(entry => KeyValuePair.Create($"{entry.DealKey}|{entry.AsOf.UtcTicks}|{entry.DealVersion}",
            new ScoreHistoryRow { DealKey = entry.DealKey, Month = ScoreHistoryEncoding.MonthOf(entry.AsOf), Entry = ScoreHistoryEncoding.Encode(entry) }))]);
        await legacyHeads.UpsertManyAsync([.. stored.Skip(1).Select(entry => KeyValuePair.Create(entry.DealKey,
            new ScoreHistoryHead { DealKey = entry.DealKey, Month = ScoreHistoryEncoding.MonthOf(entry.AsOf), Revision = 2, Entry = ScoreHistoryEncoding.Encode(entry) }))]);
        // A newer head the log already holds (a replica that appended during the move) stays.
        var newer = Entry(other, Start.AddDays(1), 2, 60);
        await Store.GetBinaryLog(ScoreHistoryLog.LogName, ScoreHistoryEncoding.DayOf).AppendAsync(
            [new BinaryLogEntry(other, ScoreHistoryEncoding.IdOf(newer), ScoreHistoryEncoding.MonthOf(newer.AsOf), ScoreHistoryEncoding.Encode(newer))],
            [new BinaryLogHead(other, ScoreHistoryEncoding.MonthOf(newer.AsOf), 3, ScoreHistoryEncoding.Encode(newer))]);
        var history = History(Store);

        await history.MigrateAsync(CancellationToken.None);
        await history.MigrateAsync(CancellationToken.None);

        Assert.Equal(0, await legacyRows.CountAsync("dealKey", deal));
        Assert.Equal(0, await legacyHeads.CountAsync());
        Assert.Equal([20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
        var seen = new List<int?>();
        ScoreHistoryEntry Record(ScoreHistoryEntry? previous, ScoreHistoryEntry entry) { seen.Add(previous?.Score); return entry; }
        await history.AppendAsync([Entry(deal, Start.AddDays(26), 3, 30), Entry(other, Start.AddDays(2), 3, 70)], Record, CancellationToken.None);
        Assert.Equal([20, 60], seen);
        Assert.Equal([70, 60, 50], (await history.ReadAsync(other, CancellationToken.None)).Select(entry => entry.Score));
    }

    [Fact]
    public async Task A_chunk_with_two_scores_of_one_deal_appends_both_each_against_the_one_before()
    {
        var history = History(Store);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start, 1, 10)], Keep, CancellationToken.None);

        var seen = new List<int?>();
        var appended = await history.AppendAsync([Entry(deal, Start.AddDays(1), 2, 20), Entry(deal, Start.AddDays(2), 3, 30)],
            (previous, entry) => { seen.Add(previous?.Score); return entry; }, CancellationToken.None);

        Assert.Equal([10, 20], seen);
        Assert.Equal([20, 30], appended.Select(entry => entry.Score));
        Assert.Equal([30, 20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
    }

    [Fact]
    public async Task A_previous_score_older_than_the_retention_is_no_base_for_a_movement()
    {
        var history = History(Store, retentionDays: 30);
        var deal = NewDealKey();
        await history.AppendAsync([Entry(deal, Start, 1, 10)], Keep, CancellationToken.None);

        var seen = new List<int?>();
        await history.AppendAsync([Entry(deal, Start.AddDays(45), 2, 20)], (previous, entry) => { seen.Add(previous?.Score); return entry; }, CancellationToken.None);

        Assert.Equal([(int?)null], seen);
    }

    [Fact]
    public async Task A_chunk_larger_than_one_write_completes_every_deal_against_its_previous_score_and_a_redelivery_appends_nothing()
    {
        var history = History(Store);
        var deals = Enumerable.Range(0, 1_201).Select(_ => NewDealKey()).ToList();
        await history.AppendAsync(deals.Select(deal => Entry(deal, Start, 1, 10)).ToList(), Keep, CancellationToken.None);
        var chunk = deals.Select(deal => Entry(deal, Start.AddDays(1), 2, 20)).Append(Entry(deals[^1], Start.AddDays(1), 3, 30)).ToList();

        var previous = new Dictionary<string, List<int?>>();
        var appended = await history.AppendAsync(chunk, (before, entry) =>
        {
            previous.TryAdd(entry.DealKey, []);
            previous[entry.DealKey].Add(before?.Score);
            return entry with { Reasons = [$"after {before?.Score}"] };
        }, CancellationToken.None);
        var redelivered = await history.AppendAsync(chunk, (_, _) => throw new InvalidOperationException("appended again"), CancellationToken.None);

        Assert.Equal(deals.Count, previous.Count);
        Assert.All(deals[..^1], deal => Assert.Equal([10], previous[deal]));
        Assert.Equal([10, 20], previous[deals[^1]]);
        Assert.Equal(chunk.Select(entry => entry.Score), appended.Select(entry => entry.Score));
        Assert.Equal(appended.Select(entry => entry.Reasons[0]), redelivered.Select(entry => entry.Reasons[0]));
        foreach (var deal in deals[..^1])
            Assert.Equal([20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
        Assert.Equal([30, 20, 10], (await history.ReadAsync(deals[^1], CancellationToken.None)).Select(entry => entry.Score));
        Assert.Equal(30, (await history.LatestAsync(deals[^1], CancellationToken.None))!.Score);
    }

    [Fact]
    public async Task A_deal_whose_two_scores_fall_in_different_writes_of_one_append_has_the_later_completed_against_the_earlier()
    {
        var history = History(Store);
        // The log writes 500 deals at a time in key order: 499 keys before this deal's put its two scores in two writes.
        var run = Guid.NewGuid().ToString("N")[..12];
        var deal = DealKey.Of("test", $"{run}-b");
        var chunk = Enumerable.Range(0, 499).Select(i => Entry(DealKey.Of("test", $"{run}-a{i:D3}"), Start, 1, 10))
            .Append(Entry(deal, Start, 1, 10)).Append(Entry(deal, Start.AddDays(1), 2, 20)).ToList();

        var seen = new List<int?>();
        var appended = await history.AppendAsync(chunk, (before, entry) =>
        {
            if (entry.DealKey == deal)
                seen.Add(before?.Score);
            return entry;
        }, CancellationToken.None);

        Assert.Equal([null, 10], seen);
        Assert.Equal(chunk.Select(entry => entry.Score), appended.Select(entry => entry.Score));
        Assert.Equal([20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
        Assert.Equal(20, (await history.LatestAsync(deal, CancellationToken.None))!.Score);
    }

    [Fact]
    public async Task Scores_stored_uncompressed_by_an_earlier_release_still_read_and_the_next_append_carries_on_from_them()
    {
        var history = History(Store);
        var deal = NewDealKey();
        var earlier = new[] { Entry(deal, Start, 1, 10), Entry(deal, Start.AddDays(1), 2, 20) };
        await Store.GetBinaryLog(ScoreHistoryLog.LogName, ScoreHistoryEncoding.DayOf).AppendAsync(
            [.. earlier.Select(entry => new BinaryLogEntry(deal, ScoreHistoryEncoding.IdOf(entry), ScoreHistoryEncoding.MonthOf(entry.AsOf), MemoryPackSerializer.Serialize(entry)))],
            [new BinaryLogHead(deal, ScoreHistoryEncoding.MonthOf(earlier[1].AsOf), 2, MemoryPackSerializer.Serialize(earlier[1]))]);

        var seen = new List<int?>();
        await history.AppendAsync([Entry(deal, Start.AddDays(2), 3, 30)], (previous, entry) => { seen.Add(previous?.Score); return entry; }, CancellationToken.None);

        Assert.Equal([20], seen);
        Assert.Equal([30, 20, 10], (await history.ReadAsync(deal, CancellationToken.None)).Select(entry => entry.Score));
        Assert.Equal("stage_regressions", Assert.Single((await history.ReadAsync(deal, CancellationToken.None))[2].Factors).Signal);
    }

    protected static ScoreHistoryEntry Keep(ScoreHistoryEntry? previous, ScoreHistoryEntry entry) => entry;

    protected static ScoreHistoryLog History(IDocumentStore store, int retentionDays = 400) =>
        new(store, Options.Create(new ScoreHistoryOptions { RetentionDays = retentionDays }));

    protected static string NewDealKey() => DealKey.Of("test", Guid.NewGuid().ToString("N")[..12]);

    protected static ScoreHistoryEntry Entry(string deal, DateTimeOffset asOf, long version, int score) => new()
    {
        DealKey = deal,
        AsOf = asOf,
        DealVersion = version,
        Scorer = "rules",
        Score = score,
        Level = RiskLevels.Medium,
        Stage = DealStages.Demo,
        Reasons = ["Moved back a stage"],
        Factors = [new HistoryFactor("stage_regressions", 1, 10, "stage-regressed")],
        Trigger = new HistoryTrigger(ScoreTrigger.CrmChangeKind, null, "hubspot-webhook", "delivery-1", asOf,
            [new HistoryChange(asOf, DealFields.Stage, DealStages.Proposal, DealStages.Demo)]),
    };
}
