using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using DealRisk.SyntheticCrm;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

public sealed class RecomputeDealFeaturesTests : IAsyncLifetime
{
    private FeaturesHost _host = null!;

    public async Task InitializeAsync() => _host = await FeaturesHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_change_publishes_features_for_that_one_deal_as_of_the_change()
    {
        var change = StageChange("RT-1", version: 3, day: 12);

        await _host.DeliverAsync(change);

        var computed = Assert.Single(PublishedFor("RT-1"));
        Assert.Null(computed.Batch);
        Assert.Equal(change.CorrelationId, computed.CorrelationId);
        Assert.Equal(change.ChangedAt, computed.AsOf);
        Assert.Equal(RiskSignals.Names, computed.FeatureNames);
        var vector = Assert.Single(computed.Deals);
        Assert.Equal(("RT-1", 3L, DealStages.Demo), (vector.Deal.ExternalId, vector.Deal.Version, vector.Deal.Stage));
        Assert.Equal(12, vector.Values[RiskSignals.IndexOf(RiskSignals.DealAgeDays)]);
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task The_rescore_carries_its_trigger_the_CRM_change_with_its_origin_and_delivery()
    {
        var change = StageChange("RT-9", version: 2, day: 8);
        change = change with { Changes = [change.Deal.History[^1]] };

        await _host.DeliverAsync(change);

        var trigger = Assert.Single(PublishedFor("RT-9")).Trigger!;
        Assert.Equal((ScoreTrigger.CrmChangeKind, "hubspot-webhook", change.CorrelationId.ToString(), change.ChangedAt),
            (trigger.Kind, trigger.Source, trigger.EventId, trigger.At));
        var stage = Assert.Single(trigger.Changes);
        Assert.Equal((DealFields.Stage, DealStages.Lead, DealStages.Demo), (stage.Field, stage.From, stage.To));
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_change_dated_by_the_CRM_two_seconds_ahead_of_our_clock_is_part_of_the_rescore()
    {
        var published = Day(30);
        var deal = Open("RT-4") with { Version = 2, Stage = DealStages.Demo, UpdatedAt = published };
        deal = deal with
        {
            History = [.. deal.History, new DealChange { At = published.AddSeconds(2), Field = DealFields.Stage, From = DealStages.Lead, To = DealStages.Demo }],
        };

        await _host.DeliverAsync(Trigger(deal, published, DealChangeKinds.Stage));

        var computed = Assert.Single(PublishedFor("RT-4"));
        Assert.Equal(published.AddSeconds(2), computed.AsOf);
        var vector = Assert.Single(computed.Deals);
        Assert.Equal((DealStages.Demo, 0), (vector.Deal.Stage, vector.Deal.DaysInStage));
        Assert.Equal(DealStages.Order(DealStages.Demo), vector.Values[RiskSignals.IndexOf(RiskSignals.StageOrder)]);
        Assert.Equal(0, vector.Values[RiskSignals.IndexOf(RiskSignals.DaysInStage)]);
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_burst_for_one_deal_is_scored_only_on_the_newest_stored_version()
    {
        var v1 = StageChange("RT-5", version: 1, day: 3);
        var v3 = StageChange("RT-5", version: 3, day: 5).Deal with { Amount = 90_000m };
        await _host.DeliverAsync(new DealSynced { CorrelationId = Guid.NewGuid(), Deal = v3, Origin = "test", SyncedAt = Day(5) });

        await _host.DeliverAsync(v1);
        await _host.DeliverAsync(Trigger(v3, Day(5), DealChangeKinds.Amount));

        // The newest version's own trigger may publish it again (it cannot tell itself from a redelivery); never the older one.
        var computed = PublishedFor("RT-5").ToList();
        Assert.InRange(computed.Count, 1, 2);
        Assert.All(computed, features => Assert.Equal((3L, 90_000m), (features.Deals[0].Deal.Version, features.Deals[0].Deal.Amount)));
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_stage_change_older_than_one_already_processed_publishes_nothing()
    {
        await _host.DeliverAsync(StageChange("RT-2", version: 5, day: 20));
        await _host.DeliverAsync(StageChange("RT-2", version: 3, day: 10));

        Assert.Equal([5L], PublishedFor("RT-2").Select(computed => computed.Deals[0].Deal.Version));

        await _host.DeliverAsync(StageChange("RT-2", version: 6, day: 25));

        Assert.Equal([5L, 6L], PublishedFor("RT-2").Select(computed => computed.Deals[0].Deal.Version));
        var stored = await _host.Store.LatestFeatures.GetAsync(DealKey.Of("test", "RT-2"));
        Assert.Equal(6, stored!.Deal.Version);
        Assert.Equal(1, await _host.Store.LatestFeatures.CountAsync());
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_redelivery_after_a_crash_between_storing_the_features_and_publishing_them_still_publishes_them()
    {
        var change = StageChange("RT-9", version: 4, day: 15);
        _host.Faults.FailFeaturesComputed();

        await _host.DeliverAsync(change);

        Assert.Empty(PublishedFor("RT-9"));
        Assert.Equal(4, (await _host.Store.LatestFeatures.GetAsync(DealKey.Of("test", "RT-9")))!.Deal.Version);

        _host.Faults.Heal();
        await _host.DeliverAsync(change);

        var computed = Assert.Single(PublishedFor("RT-9"));
        Assert.Equal(4, computed.Deals[0].Deal.Version);
    }

    [Fact]
    public async Task A_change_arriving_as_its_only_event_stores_the_deal_copy_and_is_scored_once_even_when_redelivered()
    {
        var change = StageChange("RT-6", version: 3, day: 12);

        await _host.DeliverAsync(change);
        await _host.DeliverAsync(change);

        var copy = await Copies.GetAsync("test", "RT-6", CancellationToken.None);
        Assert.Equal((3L, DealStages.Demo), (copy!.Version, copy.Stage));
        Assert.Equal(change.Deal.History.Count, copy.History.Count);
        // The redelivery may publish the same version again (it cannot tell itself from a crash before the publish); scoring drops it by version.
        var computed = PublishedFor("RT-6");
        Assert.InRange(computed.Count, 1, 2);
        Assert.All(computed, features => Assert.Equal(3L, features.Deals[0].Deal.Version));
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task Synced_and_changed_versions_arriving_out_of_order_on_their_two_queues_keep_the_newest_copy()
    {
        var changed = StageChange("RT-7", version: 5, day: 20);
        await _host.DeliverAsync(changed);
        await _host.DeliverAsync(new DealSynced { CorrelationId = Guid.NewGuid(), Deal = changed.Deal with { Version = 4, Name = "older" }, Origin = "test", SyncedAt = Day(19) });

        Assert.Equal(5, (await Copies.GetAsync("test", "RT-7", CancellationToken.None))!.Version);

        await _host.DeliverAsync(new DealSynced { CorrelationId = Guid.NewGuid(), Deal = changed.Deal with { Version = 6, Name = "renamed" }, Origin = "test", SyncedAt = Day(21) });
        await _host.DeliverAsync(StageChange("RT-7", version: 3, day: 10));

        var copy = await Copies.GetAsync("test", "RT-7", CancellationToken.None);
        Assert.Equal((6L, "renamed"), (copy!.Version, copy.Name));
        // The stale trigger scores the newest stored version, never its own older one.
        Assert.All(PublishedFor("RT-7"), features => Assert.True(features.Deals[0].Deal.Version >= 5));
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_stage_change_after_a_batch_is_featurized_with_that_batch_statistics()
    {
        var deals = SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 8, DealCount = 200, AsOf = new DateOnly(2025, 6, 30) }).ToArray();
        var batch = TestBatch.Create(deals, new DateOnly(2025, 6, 30), historyChunks: 2, openChunks: 1);
        await _host.SeedCopiesAsync(deals);
        foreach (var message in batch.Messages())
        {
            if (message is DealChunkSynced chunk)
                await _host.DeliverAsync(chunk);
            else
                await _host.DeliverAsync((DailyBatchSynced)message);
        }
        var rep = batch.HistoryDeals.GroupBy(deal => deal.Owner).First(group => group.Key is not null && group.Count() >= 5).Key!;

        await _host.DeliverAsync(StageChange("RT-3", version: 2, day: 12) with { Deal = StageChange("RT-3", 2, 12).Deal with { Owner = rep } });

        var computed = Assert.Single(PublishedFor("RT-3"));
        var expected = new FeatureContext(OutcomeStatistics.FromClosedDeals(batch.HistoryDeals)).WinRate(OutcomeStatistics.Rep, rep);
        Assert.NotNull(expected);
        Assert.Equal(expected!.Value, computed.Deals[0].Values[RiskSignals.IndexOf(RiskSignals.RepWinRate)]!.Value, 9);
    }

    private DealCopies Copies => _host.Services.GetRequiredService<DealCopies>();

    private IReadOnlyList<FeaturesComputed> PublishedFor(string externalId) => _host.FeaturesPublished(computed => IsFor(computed, externalId));

    private static bool IsFor(FeaturesComputed computed, string externalId) =>
        computed.Batch is null && computed.Deals.Count == 1 && computed.Deals[0].Deal.ExternalId == externalId;
}
