using System.Net;
using System.Net.Http.Json;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.HubSpot;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.HubSpotWebhooks;

namespace DealRisk.Ingestion.Tests;

public sealed class HubSpotWebhookTests : IngestionApiTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_signed_batch_creates_the_canonical_deal_with_its_history_and_announces_it_with_one_DealChanged()
    {
        var result = await DeliverAsync(EventBatch(
            Creation(501, T0),
            PropertyChange(501, "dealname", "Acme renewal", T0),
            PropertyChange(501, "dealstage", "presentationscheduled", T0),
            PropertyChange(501, "amount", "45000", T0),
            PropertyChange(501, "closedate", "1798675200000", T0),
            PropertyChange(501, "hubspot_owner_id", "owner-17", T0),
            PropertyChange(501, "hs_next_step", "Security review", T0),
            PropertyChange(501, "num_associated_contacts", "3", T0),
            PropertyChange(501, "hs_last_sales_activity_timestamp", T0.AddHours(-2).ToUnixTimeMilliseconds().ToString(), T0)));

        Assert.Equal((9, 9, 0), (result.Events, result.Applied, result.Errors.Count));
        var deal = await DealAsync(501);
        Assert.Equal(("Acme renewal", DealStages.Demo, "presentationscheduled", 45000m), (deal.Name, deal.Stage, deal.SourceStage, deal.Amount));
        Assert.Equal((new DateOnly(2026, 12, 31), "owner-17", "Security review", 3), (deal.CloseDate, deal.Owner, deal.NextStep, deal.ContactCount));
        Assert.Equal(T0.AddHours(-2), deal.LastActivityAt);
        Assert.Equal(T0, deal.CreatedAt);
        Assert.Equal(
            [DealFields.Amount, DealFields.CloseDate, DealFields.ContactCount, DealFields.NextStep, DealFields.Owner, DealFields.Stage],
            deal.History.Select(change => change.Field).Order());
        Assert.Empty(Syncs());
        var changed = Assert.Single(Rescores());
        Assert.Equal(("hubspot", "501", 1L, "hubspot-webhook"), (changed.Deal.Source, changed.Deal.ExternalId, changed.Deal.Version, changed.Origin));
    }

    [Fact]
    public async Task The_warm_up_rehearsal_delivers_complete_deals_and_then_changes_them_so_both_paths_run_before_ready()
    {
        for (var index = 0; index < 3; index++)
            await HubSpotWebhookRehearsal.Step.RunAsync(Factory.Services, index, CancellationToken.None);

        Assert.Empty(await RejectionsAsync());
        var first = await DealAsync(HubSpotWebhookRehearsal.FirstDealId);
        Assert.Equal(("Rehearsal deal 0", 12_500.50m, 1), (first.Name, first.Amount, first.ContactCount));
        Assert.NotNull(first.CloseDate);
        Assert.NotNull(first.Owner);
        Assert.NotNull(first.LastActivityAt);
        Assert.True(first.History.Count(change => change.Field == DealFields.Stage) >= 2, "The step after it did not change the stage of the complete deal.");
    }

    [Fact]
    public async Task A_delivery_of_changes_to_many_deals_is_announced_by_one_message_rescores_and_syncs_together()
    {
        await DeliverAsync(EventBatch(PropertyChange(510, "dealstage", "qualifiedtobuy", T0), PropertyChange(511, "dealstage", "qualifiedtobuy", T0)));
        var before = Published<DealChangesStored>().Count;

        await DeliverAsync(EventBatch(
            PropertyChange(510, "dealstage", "presentationscheduled", T0.AddDays(1)),
            PropertyChange(511, "dealname", "Renamed", T0.AddDays(1)),
            PropertyChange(512, "dealstage", "qualifiedtobuy", T0.AddDays(1))));

        var delivery = Assert.Single(Published<DealChangesStored>().Skip(before));
        Assert.Equal(["510", "512"], delivery.Rescored.Select(changed => changed.Deal.ExternalId).Order());
        Assert.Equal(("511", "Renamed"), (Assert.Single(delivery.Synced).Deal.ExternalId, delivery.Synced[0].Deal.Name));
        Assert.All(delivery.Rescored, changed => Assert.Equal((delivery.CorrelationId, "hubspot-webhook"), (changed.CorrelationId, changed.Origin)));
    }

    [Fact]
    public async Task A_stage_move_is_rescored_with_DealChanged_and_appends_the_move_to_the_history()
    {
        await DeliverAsync(EventBatch(PropertyChange(502, "dealstage", "qualifiedtobuy", T0)));

        await DeliverAsync(EventBatch(PropertyChange(502, "dealstage", IngestionApiFactory.HubSpotCustomStageId, T0.AddDays(3))));

        var changed = Assert.Single(Rescores(), message => message.Deal.Version == 2);
        Assert.Equal([DealChangeKinds.Stage], changed.ChangedFields);
        Assert.Equal(DealStages.Proposal, changed.Deal.Stage);
        var stageHistory = (await DealAsync(502)).History.Where(change => change.Field == DealFields.Stage).ToList();
        Assert.Equal([(null, DealStages.Qualified), (DealStages.Qualified, DealStages.Proposal)], stageHistory.Select(change => (change.From, change.To)));
        Assert.Equal(T0.AddDays(3), stageHistory[1].At);
    }

    [Fact]
    public async Task A_redelivered_batch_changes_nothing_and_publishes_nothing()
    {
        var batch = EventBatch(PropertyChange(503, "dealstage", "qualifiedtobuy", T0), PropertyChange(503, "amount", "1000", T0));
        await DeliverAsync(batch);

        var again = await DeliverAsync(batch);

        Assert.Equal((0, 2), (again.Applied, again.Duplicates));
        Assert.Single(Announced());
        Assert.Equal(1, (await DealAsync(503)).Version);
    }

    [Fact]
    public async Task An_older_change_arriving_after_a_newer_one_does_not_overwrite_it_but_takes_its_place_in_the_history()
    {
        await DeliverAsync(EventBatch(PropertyChange(504, "amount", "2000", T0.AddHours(2))));

        await DeliverAsync(EventBatch(PropertyChange(504, "amount", "1000", T0.AddHours(1))));

        var deal = await DealAsync(504);
        Assert.Equal(2000m, deal.Amount);
        Assert.Equal([(null, "1000"), ("1000", "2000")], deal.History.Where(change => change.Field == DealFields.Amount).Select(change => (change.From, change.To)));
    }

    [Fact]
    public async Task An_unknown_stage_id_is_reported_and_recorded_while_the_rest_of_the_batch_applies()
    {
        var result = await DeliverAsync(EventBatch(
            PropertyChange(505, "dealstage", "98765432", T0, eventId: 9001),
            PropertyChange(505, "amount", "7000", T0)));

        var error = Assert.Single(result.Errors);
        Assert.Equal((0, 9001L, 505L), (error.Index, error.EventId, error.ObjectId));
        Assert.Contains("Unknown HubSpot stage id '98765432'", error.Reason);
        Assert.Contains("Crm:HubSpot:Stages:98765432", error.Reason);
        Assert.Equal(7000m, (await DealAsync(505)).Amount);
        Assert.Contains(await RejectionsAsync(), rejection => rejection.Scope == "event" && rejection.EventId == "9001" && rejection.Reason.Contains("98765432"));
    }

    [Fact]
    public async Task Property_values_of_the_wrong_type_are_refused_one_by_one_naming_the_property()
    {
        var objectValue = PropertyChange(506, "hs_next_step", "x", T0);
        objectValue["propertyValue"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "call" };

        var result = await DeliverAsync(EventBatch(
            PropertyChange(506, "amount", "lots", T0),
            PropertyChange(506, "num_associated_contacts", "2.5", T0),
            PropertyChange(506, "closedate", "next friday", T0),
            objectValue,
            PropertyChange(506, "hubspot_owner_id", "owner-3", T0)));

        Assert.Equal(4, result.Errors.Count);
        Assert.Contains("'amount' must be a non-negative number", result.Errors[0].Reason);
        Assert.Contains("'num_associated_contacts' must be a whole number", result.Errors[1].Reason);
        Assert.Contains("'closedate' must be a date (yyyy-MM-dd, M/d/yyyy, ISO 8601 or epoch milliseconds), not \"next friday\"", result.Errors[2].Reason);
        Assert.Contains("'propertyValue' must be a string, not an object", result.Errors[3].Reason);
        var deal = await DealAsync(506);
        Assert.Equal(("owner-3", (decimal?)null), (deal.Owner, deal.Amount));
    }

    [Fact]
    public async Task Unknown_subscription_types_and_other_object_types_are_refused_while_generic_deal_changes_apply()
    {
        var contact = Creation(507, T0);
        contact["subscriptionType"] = "contact.creation";

        var result = await DeliverAsync(EventBatch(
            contact,
            GenericPropertyChange("0-1", 507, "lifecyclestage", "lead", T0),
            GenericPropertyChange("0-3", 507, "dealstage", "contractsent", T0)));

        Assert.Equal(1, result.Applied);
        Assert.Contains("Unsupported subscription type 'contact.creation'", result.Errors[0].Reason);
        Assert.Contains("Object type '0-1' is not a deal", result.Errors[1].Reason);
        Assert.Equal(DealStages.Negotiation, (await DealAsync(507)).Stage);
    }

    [Fact]
    public async Task A_deletion_removes_the_deal_and_a_late_older_change_does_not_bring_it_back()
    {
        await DeliverAsync(EventBatch(PropertyChange(508, "dealstage", "qualifiedtobuy", T0)));

        await DeliverAsync(EventBatch(Deletion(508, T0.AddHours(1))));
        var late = await DeliverAsync(EventBatch(PropertyChange(508, "amount", "500", T0.AddMinutes(30))));

        Assert.Equal(1, late.Applied);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/hubspot/508")).StatusCode);
    }

    [Fact]
    public async Task A_deal_created_by_webhook_with_few_fields_is_flagged_for_data_quality()
    {
        await DeliverAsync(EventBatch(Creation(509, T0), PropertyChange(509, "dealstage", "qualifiedtobuy", T0)));

        var deal = await DealAsync(509);

        Assert.True(deal.DataQualityFlag);
        Assert.Contains("amount", deal.MissingFields);
        Assert.Contains("owner", deal.MissingFields);
        Assert.True(Announced().Single().DataQualityFlag);
        // Webhooks never carry industry, region, lead source or account: those are not held against the deal.
        Assert.Equal(["amount", "closeDate", "owner", "nextStep", "contactCount", "lastActivity"], deal.MissingFields);
    }

    [Fact]
    public async Task Concurrent_deliveries_for_one_deal_all_land_and_the_newest_value_wins()
    {
        var deliveries = Enumerable.Range(1, 10)
            .Select(i => DeliverAsync(EventBatch(PropertyChange(517, "amount", (i * 100).ToString(), T0.AddMinutes(i)))));

        await Task.WhenAll(deliveries);

        var deal = await DealAsync(517);
        Assert.Equal(1000m, deal.Amount);
        Assert.Equal(10, deal.History.Count(change => change.Field == DealFields.Amount));
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_with_401_saying_so_and_recorded()
    {
        var response = await Client.SendAsync(Signed(EventBatch(PropertyChange(510, "amount", "1", T0)), secret: "not-the-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-HubSpot-Signature-v3 does not match", await response.Content.ReadAsStringAsync());
        Assert.Contains(await RejectionsAsync(), rejection => rejection is { Scope: "request", StatusCode: 401 });
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused_with_401()
    {
        var request = Signed(EventBatch(PropertyChange(511, "amount", "1", T0)));
        request.Content = new StringContent(EventBatch(PropertyChange(511, "amount", "1000000", T0)), Encoding.UTF8, "application/json");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/hubspot/511")).StatusCode);
    }

    [Fact]
    public async Task A_missing_signature_is_refused_with_401_naming_the_header()
    {
        var request = Signed(EventBatch(PropertyChange(512, "amount", "1", T0)));
        request.Headers.Remove("X-HubSpot-Signature-v3");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Missing X-HubSpot-Signature-v3", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_correctly_signed_request_older_than_five_minutes_is_refused_with_401_saying_it_is_stale()
    {
        var response = await Client.SendAsync(Signed(EventBatch(PropertyChange(513, "amount", "1", T0)), timestamp: DateTimeOffset.UtcNow.AddMinutes(-6)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("older than 5 minutes are refused", await response.Content.ReadAsStringAsync());
        Assert.Contains(await RejectionsAsync(), rejection => rejection.Reason.Contains("older than 5 minutes"));
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_400_and_recorded()
    {
        var response = await Client.SendAsync(Signed("[{\"eventId\": 1,"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Malformed JSON", await response.Content.ReadAsStringAsync());
        Assert.Contains(await RejectionsAsync(), rejection => rejection is { StatusCode: 400 } && rejection.Reason.StartsWith("Malformed JSON"));
    }

    [Fact]
    public async Task A_json_object_instead_of_an_array_of_events_is_refused_with_400()
    {
        var response = await Client.SendAsync(Signed(PropertyChange(514, "amount", "1", T0).ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Expected a JSON array of events", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var response = await Client.SendAsync(Signed("eventId=1", contentType: "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_ten_megabyte_body_is_refused_with_413()
    {
        var huge = "[" + string.Join(",", Enumerable.Repeat(PropertyChange(515, "hs_next_step", new string('x', 1000), T0).ToJsonString(), 10_000)) + "]";

        var response = await Client.SendAsync(Signed(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(await RejectionsAsync(), rejection => rejection.StatusCode == 413);
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task More_than_one_hundred_events_in_one_delivery_are_refused_with_400()
    {
        var events = Enumerable.Range(0, 101).Select(i => (System.Text.Json.Nodes.JsonNode)PropertyChange(600 + i, "amount", "1", T0)).ToArray();

        var response = await Client.SendAsync(Signed(EventBatch(events)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 100 events", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Behind_a_proxy_the_signature_over_the_configured_public_url_is_accepted()
    {
        using var proxied = Factory.WithWebHostBuilder(builder => builder.UseSetting("Crm:HubSpot:PublicBaseUrl", "https://crm.example.com"));
        using var client = proxied.CreateClient();

        var viaProxy = await client.SendAsync(Signed(EventBatch(PropertyChange(516, "amount", "1", T0)), uri: "https://crm.example.com/webhooks/hubspot"));
        var direct = await client.SendAsync(Signed(EventBatch(PropertyChange(516, "amount", "2", T0))));

        Assert.Equal(HttpStatusCode.OK, viaProxy.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
    }

    [Fact]
    public async Task A_request_timestamp_too_far_in_the_future_is_refused_with_401()
    {
        var response = await Client.SendAsync(Signed(EventBatch(PropertyChange(517, "amount", "1", T0)), timestamp: DateTimeOffset.UtcNow.AddMinutes(30)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("in the future", await response.Content.ReadAsStringAsync());
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task An_event_that_occurred_in_the_future_is_refused_and_cannot_block_later_changes()
    {
        var result = await DeliverAsync(EventBatch(PropertyChange(518, "amount", "999", new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        await DeliverAsync(EventBatch(PropertyChange(518, "amount", "1200", DateTimeOffset.UtcNow)));

        Assert.Contains("in the future", Assert.Single(result.Errors).Reason);
        Assert.Equal(1200m, (await DealAsync(518)).Amount);
    }

    [Fact]
    public async Task With_a_portal_allow_list_events_from_another_portal_are_refused_and_recorded()
    {
        using var scoped = Factory.WithWebHostBuilder(builder => builder.UseSetting("Crm:HubSpot:PortalIds:0", PortalId.ToString()));
        using var client = scoped.CreateClient();
        var sandbox = PropertyChange(519, "amount", "5", T0);
        sandbox["portalId"] = 99999;

        var response = await client.SendAsync(Signed(EventBatch(sandbox, PropertyChange(520, "amount", "7", T0))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<HubSpotBatchResult>())!;
        Assert.Equal((1, "Portal 99999 is not in Crm:HubSpot:PortalIds."), (result.Applied, Assert.Single(result.Errors).Reason));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/hubspot/519")).StatusCode);
        Assert.Equal(7m, (await DealAsync(520)).Amount);
        Assert.Contains(await RejectionsAsync(), rejection => rejection.Reason.Contains("Portal 99999", StringComparison.Ordinal));
    }

    private async Task<HubSpotBatchResult> DeliverAsync(string body)
    {
        var response = await Client.SendAsync(Signed(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<HubSpotBatchResult>())!;
    }

    private async Task<DealSnapshot> DealAsync(long dealId) => (await Client.GetFromJsonAsync<DealSnapshot>($"/deals/hubspot/{dealId}"))!;

    private async Task<List<WebhookRejection>> RejectionsAsync()
    {
        var rejections = Factory.Services.GetRequiredService<WebhookRejections>();
        var all = new List<WebhookRejection>();
        await foreach (var rejection in rejections.ForSourceAsync("hubspot", CancellationToken.None))
            all.Add(rejection);
        return all;
    }
}
