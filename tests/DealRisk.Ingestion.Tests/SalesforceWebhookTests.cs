using System.Net;
using System.Net.Http.Json;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using DealRisk.Contracts;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.Salesforce;
using MassTransit.Testing;
using DealRisk.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using static DealRisk.Ingestion.Tests.SalesforceOutboundMessages;

namespace DealRisk.Ingestion.Tests;

public sealed class SalesforceWebhookTests : IngestionApiTest
{
    private const string Org = IngestionApiFactory.SalesforceOrganizationId;
    private const string WebhookPath = IngestionApiFactory.SalesforceWebhookPath;

    private static string Negotiating(string notificationId, string amount = "52000", string modified = "2026-11-02T17:00:00.000Z") =>
        Opportunity(notificationId, "0065e00000AbCdEAA1",
            ("Name", "Globex expansion"), ("AccountId", "0015e00000XyZAAA"), ("Amount", amount), ("StageName", "Negotiation/Review"),
            ("CloseDate", "2026-12-15"), ("Probability", "90"), ("OwnerId", "0055e000001OwnAAA"), ("LeadSource", "Partner"),
            ("NextStep", "Send order form"), ("IsClosed", "false"), ("IsWon", "false"), ("CreatedDate", "2026-09-01T10:00:00.000Z"),
            ("LastModifiedDate", modified), ("LastActivityDate", "2026-10-30"));

    [Fact]
    public async Task An_outbound_message_is_acknowledged_with_Ack_true_and_creates_the_canonical_deal()
    {
        var response = await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N001AAA"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(XName.Get("Ack", "http://soap.sforce.com/2005/09/outbound")).Single();
        Assert.Equal("true", ack.Value);
        var deal = (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!;
        Assert.Equal(("Globex expansion", 52000m, DealStages.Negotiation, "Negotiation/Review"), (deal.Name, deal.Amount, deal.Stage, deal.SourceStage));
        Assert.Equal((new DateOnly(2026, 12, 15), "0055e000001OwnAAA", "Partner", "Send order form"), (deal.CloseDate, deal.Owner, deal.LeadSource, deal.NextStep));
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero), deal.CreatedAt);
        Assert.Single(Announced());
        Assert.Equal("salesforce-outbound", Assert.Single(Rescores()).Origin);
        // An Opportunity message carries no industry, region or contact count: they are not held against the deal.
        Assert.DoesNotContain(deal.MissingFields, field => field is "industry" or "region" or "contactCount");
    }

    [Fact]
    public async Task A_redelivered_notification_id_changes_nothing()
    {
        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N002AAA"))));

        var again = await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N002AAA", amount: "99999"))));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(Announced());
        Assert.Equal(52000m, (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!.Amount);
    }

    [Fact]
    public async Task A_later_change_appends_history_and_is_rescored_with_what_changed()
    {
        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N003AAA"))));

        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Opportunity("04l5e000000N004AAA", "0065e00000AbCdEAA1",
            ("StageName", "Closed Won"), ("IsClosed", "true"), ("IsWon", "true"), ("Amount", "55000"), ("LastModifiedDate", "2026-11-20T09:00:00.000Z")))));

        var deal = (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!;
        Assert.Equal((DealStages.ClosedWon, true, true, "Send order form"), (deal.Stage, deal.IsClosed, deal.IsWon, deal.NextStep));
        Assert.Contains(deal.History, change => change is { Field: DealFields.Amount, From: "52000", To: "55000" });
        var changed = Assert.Single(Rescores(), message => message.Deal.Version == 2);
        Assert.Equal(DealStages.ClosedWon, changed.Deal.Stage);
        Assert.Contains(DealChangeKinds.Stage, changed.ChangedFields);
        Assert.Contains(DealChangeKinds.Amount, changed.ChangedFields);
        Assert.Contains(DealChangeKinds.Outcome, changed.ChangedFields);
    }

    [Fact]
    public async Task An_older_message_arriving_after_a_newer_one_is_acknowledged_but_not_applied()
    {
        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N005AAA", amount: "60000", modified: "2026-11-03T00:00:00.000Z"))));

        var late = await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N006AAA", amount: "40000", modified: "2026-11-01T00:00:00.000Z"))));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(60000m, (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!.Amount);
    }

    [Fact]
    public async Task A_message_from_an_organization_not_configured_is_refused_with_403()
    {
        var response = await Client.PostAsync(WebhookPath, Soap(Envelope("00D5e000000OtherAA", Negotiating("04l5e000000N007AAA"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("00D5e000000OtherAA is not in Crm:Salesforce:OrganizationIds", await response.Content.ReadAsStringAsync());
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task A_message_with_a_doctype_is_refused_with_400_without_expanding_it()
    {
        var xml = Envelope(Org, Opportunity("04l5e000000N008AAA", "0065e00000Bomb0AAA", ("Name", "&lol;"))).Replace("&amp;lol;", "&lol;")
            .Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]>");

        var response = await Client.PostAsync(WebhookPath, Soap(xml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DTD", await response.Content.ReadAsStringAsync());
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task A_message_with_an_external_entity_is_refused_with_400_and_nothing_is_read_from_disk()
    {
        var xml = Envelope(Org, Opportunity("04l5e000000N009AAA", "0065e00000Xxe00AAA", ("Name", "&xxe;"))).Replace("&amp;xxe;", "&xxe;")
            .Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>");

        var response = await Client.PostAsync(WebhookPath, Soap(xml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/salesforce/0065e00000Xxe00AAA")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_stage_name_is_recorded_and_acknowledged_while_the_other_notifications_apply()
    {
        var response = await Client.PostAsync(WebhookPath, Soap(Envelope(Org,
            Opportunity("04l5e000000N010AAA", "0065e00000Odd00AAA", ("StageName", "Pilot"), ("Amount", "100")),
            Negotiating("04l5e000000N011AAA"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Ack>true</Ack>", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/salesforce/0065e00000Odd00AAA")).StatusCode);
        Assert.Equal("0065e00000AbCdEAA1", Assert.Single(Announced()).ExternalId);
    }

    [Fact]
    public async Task Json_instead_of_soap_is_refused_with_415()
    {
        var response = await Client.PostAsync(WebhookPath, JsonContent.Create(new { OrganizationId = Org }));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Xml_that_is_not_an_outbound_message_is_refused_with_400()
    {
        var response = await Client.PostAsync(WebhookPath, Soap("<?xml version=\"1.0\"?><hello/>"));

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
                using var scope = Factory.Services.CreateScope();
                var processor = ActivatorUtilities.CreateInstance<SalesforceOutboundProcessor>(scope.ServiceProvider, locks);
                var id = $"04l5e00000R{replica}{round:D3}AA";
                var body = Encoding.UTF8.GetBytes(Envelope(Org, Negotiating(id, amount: (50_000 + replica * 1000 + round).ToString(CultureInfo.InvariantCulture),
                    modified: $"2026-11-02T17:{round:D2}:0{replica}.000Z")));
                await processor.ProcessAsync(OutboundMessageReader.Read(body), CancellationToken.None);
            }
        })));

        var published = Announced().Where(deal => deal.ExternalId == "0065e00000AbCdEAA1").ToList();
        var stored = (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!;
        Assert.Equal(published.Count, published.Select(deal => deal.Version).Distinct().Count());
        Assert.Equal(stored.Version, published.Max(deal => deal.Version));
        Assert.Equal(stored.Amount, published.MaxBy(deal => deal.Version)!.Amount);
    }

    [Theory]
    [InlineData("/webhooks/salesforce")]
    [InlineData("/webhooks/salesforce/wrong-token-0000000000000000")]
    [InlineData("/webhooks/salesforce/" + IngestionApiFactory.SalesforceEndpointToken + "x")]
    public async Task A_message_to_the_bare_path_or_with_a_wrong_token_answers_404_and_changes_nothing(string path)
    {
        var response = await Client.PostAsync(path, Soap(Envelope(Org, Negotiating("04l5e000000N012AAA"))));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Organization", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/salesforce/0065e00000AbCdEAA1")).StatusCode);
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task Without_a_configured_endpoint_token_every_message_answers_404()
    {
        using var untokened = Factory.WithWebHostBuilder(builder => builder.UseSetting("Crm:Salesforce:EndpointToken", ""));
        using var client = untokened.CreateClient();

        var response = await client.PostAsync("/webhooks/salesforce/", Soap(Envelope(Org, Negotiating("04l5e000000N013AAA"))));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_message_from_an_address_outside_the_allowed_networks_is_refused_with_403()
    {
        using var restricted = Factory.WithWebHostBuilder(builder => builder.UseSetting("Crm:Salesforce:AllowedNetworks:0", "13.108.0.0/14"));
        using var client = restricted.CreateClient();

        var response = await client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N014AAA"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Crm:Salesforce:AllowedNetworks", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_LastModifiedDate_far_in_the_future_does_not_block_the_next_genuine_update()
    {
        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N015AAA", amount: "1", modified: "9999-12-31T23:59:59.000Z"))));
        await Task.Delay(20);
        var genuine = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N016AAA", amount: "61000", modified: genuine))));

        Assert.Equal(61000m, (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000AbCdEAA1"))!.Amount);
    }

    [Fact]
    public async Task A_LastModifiedDate_far_in_the_future_dates_neither_the_next_step_nor_the_closing_in_the_future()
    {
        var before = DateTimeOffset.UtcNow;
        await Client.PostAsync(WebhookPath, Soap(Envelope(Org, Opportunity("04l5e000000N017AAA", "0065e00000FuTuREA1",
            ("Name", "Hooli"), ("StageName", "Closed Won"), ("IsClosed", "true"), ("IsWon", "true"), ("NextStep", "Kick-off call"),
            ("LastModifiedDate", "9999-12-31T23:59:59.000Z")))));

        var deal = (await Client.GetFromJsonAsync<DealSnapshot>("/deals/salesforce/0065e00000FuTuREA1"))!;
        var latest = DateTimeOffset.UtcNow + new SalesforceOptions().ClockSkew;
        Assert.Equal("Kick-off call", deal.NextStep);
        Assert.InRange(deal.NextStepUpdatedAt!.Value, before, latest);
        Assert.InRange(deal.ClosedAt!.Value, before, latest);
    }

    [Fact]
    public async Task A_message_with_more_than_100_notifications_is_refused_with_400()
    {
        var notifications = Enumerable.Range(0, 101).Select(index => Opportunity($"04l5e00000{index:D4}AAAA", $"0065e00000{index:D4}AAAA", ("Amount", "1"))).ToArray();

        var response = await Client.PostAsync(WebhookPath, Soap(Envelope(Org, notifications)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 100 notifications, not 101", await response.Content.ReadAsStringAsync());
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task The_endpoint_token_appears_in_no_log_line_and_no_span()
    {
        var telemetry = new CapturedTelemetry();
        using var observed = Factory.WithWebHostBuilder(builder =>
        {
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(telemetry));
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(telemetry.Spans)));
        });
        using var client = observed.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(WebhookPath, Soap(Envelope(Org, Negotiating("04l5e000000N017AAA"))))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(WebhookPath, JsonContent.Create(new { OrganizationId = Org }))).StatusCode);

        for (var i = 0; i < 50 && !telemetry.FinishedSpans().Any(span => span.GetTagItem("http.route") is "/webhooks/salesforce/{token}"); i++)
            await Task.Delay(100);
        Assert.Contains(telemetry.FinishedSpans(), span => span.GetTagItem("url.path") is "/webhooks/salesforce/{token}");
        Assert.NotEmpty(telemetry.Logs);
        telemetry.AssertNowhere(IngestionApiFactory.SalesforceEndpointToken);
    }
}
