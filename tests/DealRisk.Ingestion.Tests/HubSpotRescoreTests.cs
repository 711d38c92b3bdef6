using System.Net;
using System.Net.Http.Json;
using DealRisk.Contracts;
using DealRisk.Ingestion.Webhooks.HubSpot;
using DealRisk.Ingestion.Deals;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.HubSpotWebhooks;

namespace DealRisk.Ingestion.Tests;

/// <summary>Every webhook change that can move a feature asks for a real-time rescore (DealChanged), naming what changed.</summary>
public sealed class HubSpotRescoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);

    private readonly IngestionApiFactory _factory = new();
    private ITestHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = _factory.Services.GetTestHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_deal_created_by_webhook_is_rescored_at_once()
    {
        await CreateAsync(601);

        var changed = Assert.Single(RescoresOf(601));
        Assert.Equal((1L, DealStages.Negotiation), (changed.Deal.Version, changed.Deal.Stage));
        Assert.Equal([DealChangeKinds.Created], changed.ChangedFields);
        Assert.Equal(HubSpotWebhookProcessor.Origin, changed.Origin);
    }

    [Theory]
    [InlineData("dealstage", "presentationscheduled", DealChangeKinds.Stage)]
    [InlineData("amount", "52000", DealChangeKinds.Amount)]
    [InlineData("closedate", "1801353600000", DealChangeKinds.CloseDate)]
    [InlineData("hubspot_owner_id", "owner-99", DealChangeKinds.Owner)]
    [InlineData("hs_next_step", "Pricing call with the CFO", DealChangeKinds.NextStep)]
    [InlineData("num_associated_contacts", "5", DealChangeKinds.Contacts)]
    [InlineData("hs_last_sales_activity_timestamp", "1794153600000", DealChangeKinds.Activity)]
    [InlineData("notes_last_contacted", "1794153600000", DealChangeKinds.Activity)]
    public async Task A_change_that_can_move_a_feature_is_rescored_naming_what_changed(string property, string value, string kind)
    {
        await CreateAsync(602);

        await DeliverAsync(EventBatch(PropertyChange(602, property, value, T0.AddDays(2))));

        var changed = Assert.Single(RescoresOf(602), message => message.Deal.Version == 2);
        Assert.Contains(kind, changed.ChangedFields);
    }

    [Fact]
    public async Task A_rescore_carries_the_history_entries_its_version_added_as_its_trigger()
    {
        await CreateAsync(604);

        await DeliverAsync(EventBatch(PropertyChange(604, "dealstage", "presentationscheduled", T0.AddDays(2))));

        var changed = Assert.Single(RescoresOf(604), message => message.Deal.Version == 2);
        var stage = Assert.Single(changed.Changes);
        Assert.Equal((DealFields.Stage, DealStages.Negotiation, DealStages.Demo, T0.AddDays(2)), (stage.Field, stage.From, stage.To, stage.At));
        Assert.Empty(Assert.Single(RescoresOf(604), message => message.Deal.Version == 1).Changes);
    }

    [Fact]
    public async Task A_round_trip_through_another_stage_in_one_delivery_is_rescored_as_a_stage_history_change()
    {
        await CreateAsync(603);

        await DeliverAsync(EventBatch(
            PropertyChange(603, "dealstage", "qualifiedtobuy", T0.AddDays(3)),
            PropertyChange(603, "dealstage", "contractsent", T0.AddDays(3).AddMinutes(5))));

        var changed = Assert.Single(RescoresOf(603), message => message.Deal.Version == 2);
        Assert.Equal(DealStages.Negotiation, changed.Deal.Stage);
        Assert.Equal([DealChangeKinds.StageHistory], changed.ChangedFields);
        Assert.Equal(3, changed.Deal.History.Count(change => change.Field == DealFields.Stage));
    }

    [Fact]
    public async Task A_change_no_feature_reads_is_synced_but_not_rescored()
    {
        await CreateAsync(604);

        await DeliverAsync(EventBatch(PropertyChange(604, "dealname", "Acme renewal (EMEA)", T0.AddDays(1))));

        var synced = Announcements.Syncs(_harness).Where(message => message.Deal.ExternalId == "604").Select(message => message.Deal.Version);
        Assert.Equal([2L], synced);
        Assert.Equal([1L], RescoresOf(604).Select(message => message.Deal.Version));
    }

    [Fact]
    public async Task Each_change_is_announced_by_one_event_the_rescore_carrying_the_stored_deal_in_place_of_a_DealSynced()
    {
        await CreateAsync(605);
        await DeliverAsync(EventBatch(PropertyChange(605, "dealstage", "presentationscheduled", T0.AddDays(1))));
        await DeliverAsync(EventBatch(PropertyChange(605, "dealname", "Acme renewal (EMEA)", T0.AddDays(2))));
        await DeliverAsync(EventBatch(PropertyChange(605, "amount", "61000", T0.AddDays(3))));

        var synced = Announcements.Syncs(_harness).Where(message => message.Deal.ExternalId == "605").ToList();
        var rescored = RescoresOf(605);
        Assert.Equal([3L], synced.Select(message => message.Deal.Version));
        Assert.Equal([1L, 2L, 4L], rescored.Select(message => message.Deal.Version).Order());
        var stored = await _factory.Services.GetRequiredService<DealRepository>().GetAsync("hubspot", "605", CancellationToken.None);
        var newest = rescored.MaxBy(message => message.Deal.Version)!.Deal;
        Assert.Equal((stored!.Version, stored.Name, stored.Stage, stored.Amount, stored.History.Count), (newest.Version, newest.Name, newest.Stage, newest.Amount, newest.History.Count));
    }

    private Task CreateAsync(long dealId) => DeliverAsync(EventBatch(
        Creation(dealId, T0),
        PropertyChange(dealId, "dealname", "Acme renewal", T0),
        PropertyChange(dealId, "dealstage", "contractsent", T0),
        PropertyChange(dealId, "amount", "45000", T0),
        PropertyChange(dealId, "closedate", "1798675200000", T0),
        PropertyChange(dealId, "hubspot_owner_id", "owner-17", T0),
        PropertyChange(dealId, "hs_next_step", "Security review", T0),
        PropertyChange(dealId, "num_associated_contacts", "3", T0)));

    private async Task DeliverAsync(string body)
    {
        using var client = _factory.CreateClient();
        var response = await client.SendAsync(Signed(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<HubSpotBatchResult>())!;
        Assert.Empty(result.Errors);
    }

    private List<DealChanged> RescoresOf(long dealId) => Announcements.Rescores(_harness).Where(message => message.Deal.ExternalId == dealId.ToString()).ToList();
}
