using System.Net;
using System.Net.Http.Json;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.HubSpot;
using DealRisk.Contracts.Json;
using DealRisk.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static DealRisk.Ingestion.Tests.SalesforceOutboundMessages;
using static DealRisk.Ingestion.Tests.SkyGeniCsv;

namespace DealRisk.Ingestion.Tests;

public sealed class BoundedInputTests : IngestionApiTest
{
    private static readonly string HugeId = "D" + new string('9', 200_000);

    [Fact]
    public async Task A_200_kB_id_in_a_CSV_import_rejects_its_row_naming_the_field_and_the_others_import()
    {
        var result = await ImportCsvAsync(File(Row("D00001"), Row(HugeId), Row("D00003")));

        Assert.Equal((3L, 2L, 1L), (result.Rows, result.Created, result.Rejected));
        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, "deal_id"), (error.Line, error.Column));
        Assert.Equal("'deal_id' is 200,001 characters long; at most 255 are accepted.", error.Reason);
    }

    [Fact]
    public async Task An_unclosed_quote_in_a_large_CSV_refuses_the_rest_of_the_file_with_a_reason_instead_of_exhausting_memory()
    {
        var csv = File(Row("D00001")) + "D00002,\"" + new string('x', 3 * 1024 * 1024) + "\n" + Row("D00003") + "\n";

        var response = await Client.PostAsync("/imports?format=skygeni", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("a record holds at most 1,048,576 bytes", text);
        Assert.DoesNotContain(new string('x', 200), text);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/deals/skygeni/D00001")).StatusCode);
    }

    [Fact]
    public async Task A_JSON_line_over_the_limit_is_reported_without_being_read_whole_and_the_next_lines_import()
    {
        var good = Deals.Open("J1", new DateOnly(2025, 1, 1));
        var lines = new StringBuilder();
        lines.Append(System.Text.Json.JsonSerializer.Serialize(good, DealJsonLines.Options)).Append('\n');
        lines.Append("{\"name\":\"").Append('y', DealJsonLines.DefaultMaxLineLength + 10).Append("\"}\n");
        lines.Append(System.Text.Json.JsonSerializer.Serialize(Deals.Open("J3", new DateOnly(2025, 1, 1)), DealJsonLines.Options)).Append('\n');

        var response = await Client.PostAsync("/imports?format=dealrisk-jsonl", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"));

        var result = (await response.Content.ReadFromJsonAsync<ImportResult>())!;
        Assert.Equal((3L, 2L, 1L), (result.Rows, result.Created, result.Rejected));
        Assert.Equal("Line 2: 1,048,597 characters long; a line holds at most 1,048,576.", Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public async Task A_bad_value_is_quoted_back_cut_short()
    {
        var result = await ImportCsvAsync(File(Row("D00001", amount: new string('7', 5000) + "x")));

        var error = Assert.Single(result.Errors);
        Assert.Equal("deal_amount", error.Column);
        Assert.True(error.Reason.Length < 200, error.Reason);
        Assert.Contains("(5,001 characters)", error.Reason);
    }

    [Fact]
    public async Task A_200_kB_HubSpot_property_value_refuses_that_event_naming_the_property()
    {
        var response = await Client.SendAsync(HubSpotWebhooks.Signed(HubSpotWebhooks.EventBatch(
            HubSpotWebhooks.PropertyChange(701, "dealname", new string('n', 200_000), DateTimeOffset.UtcNow.AddMinutes(-1)),
            HubSpotWebhooks.PropertyChange(701, "amount", "10", DateTimeOffset.UtcNow.AddMinutes(-1)))));

        var result = (await response.Content.ReadFromJsonAsync<HubSpotBatchResult>())!;
        Assert.Equal(1, result.Applied);
        Assert.Equal("'dealname' is 200,000 characters long; at most 1,000 are accepted.", Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public async Task A_200_kB_Salesforce_name_refuses_that_notification_and_no_log_line_holds_the_value()
    {
        var telemetry = new CapturedTelemetry();
        using var observed = Factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(telemetry)));
        using var client = observed.CreateClient();
        var longName = new string('s', 200_000);

        var response = await client.PostAsync(IngestionApiFactory.SalesforceWebhookPath,
            Soap(Envelope(IngestionApiFactory.SalesforceOrganizationId, Opportunity("04l5e000000L001AAA", "0065e00000LongAAA", ("Name", longName), ("StageName", "Prospecting")))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/salesforce/0065e00000LongAAA")).StatusCode);
        var rejection = Assert.Single(await RejectionsAsync("salesforce"));
        Assert.Contains("'Name' is 200,000 characters long; at most 1,000 are accepted.", rejection.Reason);
        telemetry.AssertNowhere(new string('s', 100));
    }

    [Fact]
    public async Task A_200_kB_Salesforce_notification_or_opportunity_id_is_refused_and_no_receipt_stores_it()
    {
        var response = await Client.PostAsync(IngestionApiFactory.SalesforceWebhookPath, Soap(Envelope(IngestionApiFactory.SalesforceOrganizationId,
            Opportunity("04l5e" + new string('7', 200_000), "0065e00000LongNAA1", ("Name", "Long notification"), ("StageName", "Prospecting")),
            Opportunity("04l5e000000L002AAA", HugeId, ("Name", "Long opportunity"), ("StageName", "Prospecting")))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/salesforce/0065e00000LongNAA1")).StatusCode);
        var receipts = await Factory.Services.GetRequiredKeyedService<DealRisk.Storage.IDocumentStore>(IngestionServiceExtensions.ServiceName)
            .GetCollection<DealRisk.Ingestion.Webhooks.Salesforce.OutboundReceipt>("salesforce-receipts").ScanAsync().ToListAsync();
        var receipt = Assert.Single(receipts);
        Assert.Equal("04l5e000000L002AAA", receipt.NotificationId);
        Assert.True(receipt.OpportunityId.Length < 200, $"The receipt holds an id of {receipt.OpportunityId.Length:N0} characters.");
        Assert.Equal(2, (await RejectionsAsync("salesforce")).Count);
    }

    [Fact]
    public async Task Webhook_requests_over_the_per_address_limit_are_answered_429()
    {
        using var limited = Factory.WithWebHostBuilder(builder => builder.UseSetting("Ingestion:WebhookRequestsPerMinute", "3"));
        using var client = limited.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            answers.Add((await client.PostAsync("/webhooks/hubspot", new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task Refused_requests_beyond_the_per_minute_cap_are_neither_stored_nor_logged()
    {
        var telemetry = new CapturedTelemetry();
        using var capped = Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Ingestion:MaxRecordedRefusalsPerMinute", "2");
            builder.ConfigureLogging(logging => logging.AddProvider(telemetry));
        });
        using var client = capped.CreateClient();

        for (var i = 0; i < 6; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/webhooks/hubspot", new StringContent("[]", Encoding.UTF8, "application/json"))).StatusCode);

        Assert.Equal(2, (await RejectionsAsync("hubspot", capped.Services)).Count);
        Assert.Equal(2, telemetry.Logs.Count(line => line.Contains("Refused a hubspot webhook", StringComparison.Ordinal)));
    }

    private async Task<ImportResult> ImportCsvAsync(string csv)
    {
        var response = await Client.PostAsync("/imports?format=skygeni", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImportResult>())!;
    }

    private async Task<List<WebhookRejection>> RejectionsAsync(string source, IServiceProvider? services = null)
    {
        var rejections = (services ?? Factory.Services).GetRequiredService<WebhookRejections>();
        var all = new List<WebhookRejection>();
        await foreach (var rejection in rejections.ForSourceAsync(source, CancellationToken.None))
            all.Add(rejection);
        return all;
    }
}
