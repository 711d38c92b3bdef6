using System.Net;
using System.Net.Http.Json;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Testing;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using static DealRisk.Ingestion.Tests.SkyGeniCsv;

namespace DealRisk.Ingestion.Tests;

public sealed class ImportApiTests : IngestionApiTest
{
    private static readonly string ThreeDealsAndOneBadRow = File(
        Row("D00001", stage: "Demo", outcome: "Won"),
        Row("D00002", closed: "", stage: "Demo", outcome: ""),
        Row("D00003", amount: "-10"),
        Row("D00004", stage: "Closed", outcome: "Lost"));

    [Fact]
    public async Task Importing_a_SkyGeni_file_answers_with_the_counts_and_rescores_each_new_deal_with_one_DealChanged_and_nothing_else()
    {
        var result = await ImportAsync(ThreeDealsAndOneBadRow);

        Assert.Equal("completed", result.Status);
        Assert.Equal((4L, 3L, 0L, 0L, 1L), (result.Rows, result.Created, result.Updated, result.Unchanged, result.Rejected));
        var error = Assert.Single(result.Errors);
        Assert.Equal((4L, "deal_amount"), (error.Line, error.Column));

        Assert.Empty(Syncs());
        var rescored = Rescores();
        Assert.Equal(["D00001", "D00002", "D00004"], rescored.Select(message => message.Deal.ExternalId).Order());
        Assert.All(rescored, message =>
        {
            Assert.Equal(result.Id, message.CorrelationId);
            Assert.Equal("skygeni-import", message.Origin);
            Assert.Equal(1, message.Deal.Version);
            Assert.Equal([DealChangeKinds.Created], message.ChangedFields);
        });
    }

    [Fact]
    public async Task An_import_changing_more_deals_than_the_real_time_limit_leaves_their_rescoring_to_the_batch()
    {
        using var limited = Factory.WithWebHostBuilder(builder => builder.UseSetting("Ingestion:RealTimeImportLimit", "2"));
        using var client = limited.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", IngestionApiFactory.ApiKey);
        var harness = limited.Services.GetTestHarness();

        var response = await client.PostAsync("/imports?format=skygeni", Csv(ThreeDealsAndOneBadRow));

        response.EnsureSuccessStatusCode();
        Assert.Equal(3, Announcements.Syncs(harness).Count);
        Assert.Empty(Announcements.Rescores(harness));
    }

    [Fact]
    public async Task Reimporting_the_same_file_changes_nothing_and_publishes_nothing_new()
    {
        await ImportAsync(ThreeDealsAndOneBadRow);
        var before = Announced().Count;

        var again = await ImportAsync(ThreeDealsAndOneBadRow);

        Assert.Equal((0L, 0L, 3L, 1L), (again.Created, again.Updated, again.Unchanged, again.Rejected));
        Assert.Equal(3, before);
        Assert.Equal(before, Announced().Count);
    }

    [Fact]
    public async Task A_deal_that_moved_stage_since_the_last_import_is_rescored_with_DealChanged()
    {
        await ImportAsync(ThreeDealsAndOneBadRow);

        var result = await ImportAsync(File(
            Row("D00001", stage: "Demo", outcome: "Won"),
            Row("D00002", closed: "", stage: "Proposal", outcome: ""),
            Row("D00004", stage: "Closed", outcome: "Lost")));

        Assert.Equal((0L, 1L, 2L), (result.Created, result.Updated, result.Unchanged));
        var changed = Assert.Single(Rescores(), message => message.Deal.Version == 2);
        Assert.Equal("D00002", changed.Deal.ExternalId);
        Assert.Contains(DealChangeKinds.Stage, changed.ChangedFields);
        Assert.Equal(DealStages.Proposal, changed.Deal.Stage);
        Assert.Single(Announced(), deal => deal is { ExternalId: "D00002", Version: 2 });
    }

    [Fact]
    public async Task A_file_missing_a_required_column_is_refused_with_400_naming_the_column()
    {
        var response = await PostAsync("/imports?format=skygeni", "deal_id,created_date,closed_date,sales_rep_id,industry,region,product_type,deal_stage,deal_amount,outcome\n"
                                                                + "D00001,2024-01-10,2024-02-15,rep_1,SaaS,Europe,Pro,Demo,12000,Won\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'lead_source'", await response.Content.ReadAsStringAsync());
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task An_unknown_format_is_refused_with_400()
    {
        var response = await PostAsync("/imports?format=excel", ThreeDealsAndOneBadRow);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown format 'excel'", await response.Content.ReadAsStringAsync());
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task An_import_without_a_format_is_refused_with_400()
    {
        var response = await PostAsync("/imports", ThreeDealsAndOneBadRow);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("format", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("")]
    public async Task Imports_without_the_right_api_key_are_refused_with_401(string? key)
    {
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/imports?format=skygeni") { Content = Csv(ThreeDealsAndOneBadRow) };
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Announced());
    }

    [Fact]
    public async Task Reading_deals_and_import_results_needs_the_api_key_too()
    {
        using var client = Factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/deals/skygeni/D00001")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/imports/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task An_import_with_runBatch_publishes_RunDailyBatch_as_of_the_given_date_and_the_batch_runs()
    {
        var result = await ImportAsync(ThreeDealsAndOneBadRow, "&runBatch=true&asOf=2024-02-01");

        var command = Assert.Single(Deliveries.Sent<RunDailyBatch>());
        Assert.Equal(new DateOnly(2024, 2, 1), command.AsOf);
        Assert.Equal("import", command.Trigger);
        Assert.Equal(result.Id, command.CorrelationId);
        Assert.Equal(command.BatchId, result.BatchId);

        await Deliveries.PublishedAsync<DailyBatchSynced>(message => message.BatchId == command.BatchId);
        var synced = Published<DailyBatchSynced>().Single();
        Assert.Equal(new DateOnly(2024, 2, 1), synced.AsOf);
        Assert.Equal(3, synced.OpenDeals);
        Assert.Equal(0, synced.HistoryDeals);
        await Deliveries.ConsumedAsync<RunDailyBatch>(received => received.BatchId == command.BatchId);
        Assert.Empty(Harness.Consumed.Select<RunDailyBatch>(received => received.Exception is not null, HarnessDeliveries.Now));
    }

    [Fact]
    public async Task An_import_without_runBatch_starts_no_batch()
    {
        var result = await ImportAsync(ThreeDealsAndOneBadRow);

        Assert.Null(result.BatchId);
        Assert.Empty(Deliveries.Sent<RunDailyBatch>());
    }

    [Fact]
    public async Task The_stored_import_result_can_be_read_back_by_its_id()
    {
        var result = await ImportAsync(ThreeDealsAndOneBadRow);

        var stored = await Client.GetFromJsonAsync<ImportResult>($"/imports/{result.Id}");

        Assert.NotNull(stored);
        Assert.Equal(result.Id, stored.Id);
        Assert.Equal((result.Rows, result.Created, result.Rejected), (stored.Rows, stored.Created, stored.Rejected));
        Assert.Equal(result.Errors, stored.Errors);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/imports/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task An_imported_deal_can_be_read_by_source_and_id()
    {
        await ImportAsync(ThreeDealsAndOneBadRow);

        var deal = await Client.GetFromJsonAsync<DealSnapshot>("/deals/skygeni/D00004");

        Assert.NotNull(deal);
        Assert.Equal(DealStages.ClosedLost, deal.Stage);
        Assert.Equal("Closed", deal.SourceStage);
        Assert.Equal(1, deal.Version);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/deals/skygeni/D00003")).StatusCode);
    }

    [Fact]
    public async Task Health_answers_without_an_api_key()
    {
        using var client = Factory.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private async Task<ImportResult> ImportAsync(string csv, string query = "")
    {
        var response = await PostAsync("/imports?format=skygeni" + query, csv);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImportResult>())!;
    }

    private Task<HttpResponseMessage> PostAsync(string uri, string csv) => Client.PostAsync(uri, Csv(csv));

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}
