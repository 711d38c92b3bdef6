using System.Net;
using System.Net.Http.Json;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using DealRisk.Contracts;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.Salesforce;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.SalesforceOutboundMessages;

namespace DealRisk.Ingestion.Tests;

public sealed class SalesforceWebhookTests : IAsyncLifetime
{
    private const string Org = IngestionApiFactory.SalesforceOrganizationId;

    private readonly IngestionApiFactory _factory = new();
    private HttpClient _client = null!;
    private ITestHarness _harness = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateAuthorizedClient();
        _harness = _factory.Services.GetTestHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private static string Negotiating(string notificationId, string amount = "52000", string modified = "2026-11-02T17:00:00.000Z") =>
        Opportunity(notificationId, "0065e00000AbCdEAA1",
            ("Name", "Globex expansion"), ("AccountId", "0015e00000XyZAAA"), ("Amount", amount), ("StageName", "Negotiation/Review"),
            ("CloseDate", "2026-12-15"), ("Probability", "90"), ("OwnerId", "0055e000001OwnAAA"), ("LeadSource", "Partner"),
            ("NextStep", "Send order form"), ("IsClosed", "false"), ("IsWon", "false"), ("CreatedDate", "2026-09-01T10:00:00.000Z"),
            ("LastModifiedDate", modified), ("LastActivityDate", "2026-10-30"));

    [Fact]
    public async Task An_outbound_message_is_acknowledged_with_Ack_true_and_creates_the_canonical_deal()
    {
        var response = await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Negotiating("04l5e000000N001AAA"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(XName.Get("Ack", "http://soap.sforce.com/2005/09/outbound")).Single();
        Assert.Equal("true", ack.Value);
        var deal = (await _client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!;
        Assert.Equal(("Globex expansion", 52000m, DealStages.Negotiation, "Negotiation/Review"), (deal.Name, deal.Amount, deal.Stage, deal.SourceStage));
        Assert.Equal((new DateOnly(2026, 12, 15), "0055e000001OwnAAA", "Partner", "Send order form"), (deal.CloseDate, deal.Owner, deal.LeadSource, deal.NextStep));
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero), deal.CreatedAt);
        Assert.Equal("salesforce-outbound", Assert.Single(Published<DealSynced>()).Origin);
        // An Opportunity message carries no industry, region or contact count: they are not held against the deal.
        Assert.DoesNotContain(deal.MissingFields, field => field is "industry" or "region" or "contactCount");
    }

    [Fact]
    public async Task A_redelivered_notification_id_changes_nothing()
    {
        await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Negotiating("04l5e000000N002AAA"))));

        var again = await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Negotiating("04l5e000000N002AAA", amount: "99999"))));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(Published<DealSynced>());
        Assert.Equal(52000m, (await _client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!.Amount);
    }

    [Fact]
    public async Task A_later_change_appends_history_and_is_rescored_with_what_changed()
    {
        await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Negotiating("04l5e000000N003AAA"))));

        await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Opportunity("04l5e000000N004AAA", "0065e00000AbCdEAA1",
            ("StageName", "Closed Won"), ("IsClosed", "true"), ("IsWon", "true"), ("Amount", "55000"), ("LastModifiedDate", "2026-11-20T09:00:00.000Z")))));

        var deal = (await _client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!;
        Assert.Equal((DealStages.ClosedWon, true, true, "Send order form"), (deal.Stage, deal.IsClosed, deal.IsWon, deal.NextStep));
        Assert.Contains(deal.History, change => change is { Field: DealFields.Amount, From: "52000", To: "55000" });
        var changed = Assert.Single(Published<DealChanged>(), message => message.Deal.Version == 2);
        Assert.Equal(DealStages.ClosedWon, changed.Deal.Stage);
        Assert.Contains(DealChangeKinds.Stage, changed.ChangedFields);
        Assert.Contains(DealChangeKinds.Amount, changed.ChangedFields);
        Assert.Contains(DealChangeKinds.Outcome, changed.ChangedFields);
    }

    [Fact]
    public async Task An_older_message_arriving_after_a_newer_one_is_acknowledged_but_not_applied()
    {
        await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Negotiating("04l5e000000N005AAA", amount: "60000", modified: "2026-11-03T00:00:00.000Z"))));

        var late = await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org, Negotiating("04l5e000000N006AAA", amount: "40000", modified: "2026-11-01T00:00:00.000Z"))));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(60000m, (await _client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!.Amount);
    }

    [Fact]
    public async Task A_message_from_an_organization_not_configured_is_refused_with_403()
    {
        var response = await _client.PostAsync("/webhooks/salesforce", Soap(Envelope("00D5e000000OtherAA", Negotiating("04l5e000000N007AAA"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("00D5e000000OtherAA is not in Crm:Salesforce:OrganizationIds", await response.Content.ReadAsStringAsync());
        Assert.Empty(Published<DealSynced>());
    }

    [Fact]
    public async Task A_message_with_a_doctype_is_refused_with_400_without_expanding_it()
    {
        var xml = Envelope(Org, Opportunity("04l5e000000N008AAA", "0065e00000Bomb0AAA", ("Name", "&lol;"))).Replace("&amp;lol;", "&lol;")
            .Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]>");

        var response = await _client.PostAsync("/webhooks/salesforce", Soap(xml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DTD", await response.Content.ReadAsStringAsync());
        Assert.Empty(Published<DealSynced>());
    }

    [Fact]
    public async Task A_message_with_an_external_entity_is_refused_with_400_and_nothing_is_read_from_disk()
    {
        var xml = Envelope(Org, Opportunity("04l5e000000N009AAA", "0065e00000Xxe00AAA", ("Name", "&xxe;"))).Replace("&amp;xxe;", "&xxe;")
            .Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>");

        var response = await _client.PostAsync("/webhooks/salesforce", Soap(xml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/deals/salesforce/0065e00000Xxe00AAA")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_stage_name_is_recorded_and_acknowledged_while_the_other_notifications_apply()
    {
        var response = await _client.PostAsync("/webhooks/salesforce", Soap(Envelope(Org,
            Opportunity("04l5e000000N010AAA", "0065e00000Odd00AAA", ("StageName", "Pilot"), ("Amount", "100")),
            Negotiating("04l5e000000N011AAA"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Ack>true</Ack>", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/deals/salesforce/0065e00000Odd00AAA")).StatusCode);
        Assert.Equal("0065e00000AbCdEAA1", Assert.Single(Published<DealSynced>()).Deal.ExternalId);
    }

    [Fact]
    public async Task Json_instead_of_soap_is_refused_with_415()
    {
        var response = await _client.PostAsync("/webhooks/salesforce", JsonContent.Create(new { OrganizationId = Org }));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Xml_that_is_not_an_outbound_message_is_refused_with_400()
    {
        var response = await _client.PostAsync("/webhooks/salesforce", Soap("<?xml version=\"1.0\"?><hello/>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a Salesforce outbound message", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_replicas_changing_one_Opportunity_at_once_publish_only_changes_they_stored_each_with_its_own_version()
    {
        var replicas = new[] { new DealLocks(), new DealLocks() };
        var rounds = 20;
        await Task.WhenAll(replicas.Select((locks, replica) => Task.Run(async () =>
        {
            for (var round = 0; round < rounds; round++)
            {
                using var scope = _factory.Services.CreateScope();
                var processor = ActivatorUtilities.CreateInstance<SalesforceOutboundProcessor>(scope.ServiceProvider, locks);
                var id = $"04l5e00000R{replica}{round:D3}AA";
                var body = Encoding.UTF8.GetBytes(Envelope(Org, Negotiating(id, amount: (50_000 + replica * 1000 + round).ToString(CultureInfo.InvariantCulture),
                    modified: $"2026-11-02T17:{round:D2}:0{replica}.000Z")));
                await processor.ProcessAsync(OutboundMessageReader.Read(body), CancellationToken.None);
            }
        })));

        var published = Published<DealSynced>().Select(synced => synced.Deal).Where(deal => deal.ExternalId == "0065e00000AbCdEAA1").ToList();
        var stored = (await _client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!;
        Assert.Equal(published.Count, published.Select(deal => deal.Version).Distinct().Count());
        Assert.Equal(stored.Version, published.Max(deal => deal.Version));
        Assert.Equal(stored.Amount, published.MaxBy(deal => deal.Version)!.Amount);
    }

    private List<T> Published<T>() where T : class =>
        _harness.Published.Select<T>(new CancellationToken(canceled: true)).Select(message => message.Context.Message).ToList();
}
