using DealRisk.Contracts;
using DealRisk.Features.Domain;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

/// <summary>A CRM delivery's changes arrive as one message: each is stored and, when it moved a feature, rescored on its own.</summary>
public sealed class StoreDealChangesTests : IAsyncLifetime
{
    private FeaturesHost _host = null!;

    public async Task InitializeAsync() => _host = await FeaturesHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_rescored_changes_of_a_delivery_go_to_scoring_in_one_message_each_deal_with_its_own_trigger_and_every_change_stores_its_deal_copy()
    {
        var first = StageChange("DL-1", version: 3, day: 12);
        var second = StageChange("DL-2", version: 2, day: 12) with { CorrelationId = first.CorrelationId };
        second = second with { Changes = [second.Deal.History[^1]] };
        var renamed = Open("DL-3") with { Version = 4, Name = "renamed" };

        await _host.DeliverAsync(Delivery([first, second], [renamed]));

        var one = Assert.Single(PublishedFor("DL-1"));
        var two = Assert.Single(PublishedFor("DL-2"));
        Assert.Same(one.Message, two.Message);
        Assert.Equal((first.CorrelationId, first.ChangedAt, 2), (one.Message.CorrelationId, one.Message.AsOf, one.Message.Deals.Count));
        Assert.Equal((3L, 2L), (one.Features.Deal.Version, two.Features.Deal.Version));
        Assert.Empty(one.Message.Trigger!.Changes);
        Assert.Equal((ScoreTrigger.CrmChangeKind, second.CorrelationId.ToString()), (two.Trigger.Kind, two.Trigger.EventId));
        Assert.Equal(DealStages.Demo, Assert.Single(two.Trigger.Changes).To);
        Assert.Empty(PublishedFor("DL-3"));
        Assert.Equal(3, (await Copies.GetAsync("test", "DL-1", CancellationToken.None))!.Version);
        Assert.Equal(2, (await Copies.GetAsync("test", "DL-2", CancellationToken.None))!.Version);
        var copy = await Copies.GetAsync("test", "DL-3", CancellationToken.None);
        Assert.Equal((4L, "renamed"), (copy!.Version, copy.Name));
        Assert.Equal(2, await _host.Store.LatestFeatures.CountAsync());
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task Changes_rescored_as_of_different_instants_go_to_scoring_in_one_message_per_instant()
    {
        await _host.DeliverAsync(Delivery([StageChange("DL-7", version: 2, day: 9), StageChange("DL-8", version: 2, day: 11)], []));

        var early = Assert.Single(PublishedFor("DL-7"));
        var late = Assert.Single(PublishedFor("DL-8"));
        Assert.Equal((Day(9), Day(11)), (early.Message.AsOf, late.Message.AsOf));
        Assert.NotSame(early.Message, late.Message);
        Assert.All([early.Message, late.Message], message => Assert.Equal((1, null), (message.Deals.Count, message.Triggers)));
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_redelivery_after_a_crash_between_storing_the_features_and_publishing_them_still_publishes_every_deal()
    {
        var delivery = Delivery([StageChange("DL-4", version: 4, day: 15), StageChange("DL-5", version: 2, day: 15)], []);
        _host.Faults.FailFeaturesComputed();

        await _host.DeliverAsync(delivery);

        Assert.Empty(PublishedFor("DL-4"));
        Assert.Empty(PublishedFor("DL-5"));
        Assert.Equal(4, (await _host.Store.LatestFeatures.GetAsync(DealKey.Of("test", "DL-4")))!.Deal.Version);

        _host.Faults.Heal();
        await _host.DeliverAsync(delivery);

        Assert.Equal(4, Assert.Single(PublishedFor("DL-4")).Features.Deal.Version);
        Assert.Equal(2, Assert.Single(PublishedFor("DL-5")).Features.Deal.Version);
    }

    [Fact]
    public async Task A_change_older_than_the_stored_copy_scores_the_newest_version_never_its_own()
    {
        await _host.DeliverAsync(Delivery([StageChange("DL-6", version: 5, day: 20)], []));

        await _host.DeliverAsync(Delivery([StageChange("DL-6", version: 3, day: 10)], [Open("DL-6") with { Version = 2 }]));

        Assert.All(PublishedFor("DL-6"), rescore => Assert.Equal(5L, rescore.Features.Deal.Version));
        Assert.Equal(5, (await Copies.GetAsync("test", "DL-6", CancellationToken.None))!.Version);
        _host.AssertNoFaults();
    }

    private DealCopies Copies => _host.Services.GetRequiredService<DealCopies>();

    /// <summary>Each real-time rescore of the deal published so far: its features, its own trigger and the message it travelled in.</summary>
    private List<(DealFeatureVector Features, ScoreTrigger Trigger, FeaturesComputed Message)> PublishedFor(string externalId) =>
        [.. _host.FeaturesPublished(computed => computed.Batch is null)
            .SelectMany(computed => computed.Deals.Select((deal, index) => (Features: deal, Trigger: computed.TriggerOf(index)!, Message: computed)))
            .Where(rescore => rescore.Features.Deal.ExternalId == externalId)];

    private static DealChangesStored Delivery(IReadOnlyList<DealChanged> rescored, IReadOnlyList<DealSnapshot> synced) => new()
    {
        CorrelationId = Guid.NewGuid(),
        Origin = "hubspot-webhook",
        Rescored = rescored,
        Synced = [.. synced.Select(deal => new DealSynced { CorrelationId = Guid.NewGuid(), Deal = deal, Origin = "hubspot-webhook", SyncedAt = deal.UpdatedAt })],
    };
}
