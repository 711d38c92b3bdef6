using System.Diagnostics;
using System.Net;
using System.Text;
using DealRisk.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using static DealRisk.Ingestion.Tests.HubSpotWebhooks;

namespace DealRisk.Ingestion.Tests;

/// <summary>What an operator gets from ingestion: the API description, metrics at /metrics, logs fit to export.</summary>
public sealed class OperabilityTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);
    private readonly IngestionApiFactory _factory = new();

    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_OpenAPI_document()
    {
        var client = _factory.CreateClient();
        var document = await ServiceSurface.OpenApiDocumentAsync(client);
        var mapped = ServiceSurface.MappedEndpoints(_factory.Services.GetRequiredService<EndpointDataSource>());

        Assert.Contains(("POST", "/webhooks/hubspot"), mapped);
        Assert.Contains(("GET", "/deals/{source}/{externalId}"), mapped);
        Assert.True(mapped.Count >= 6, $"Only {mapped.Count} endpoints found: {string.Join(", ", mapped)}");
        foreach (var (method, path) in mapped)
            ServiceSurface.Operation(document, method, path);
    }

    [Fact]
    public async Task The_OpenAPI_document_names_each_endpoints_authentication_its_typed_answers_and_webhook_body_examples()
    {
        var document = await ServiceSurface.OpenApiDocumentAsync(_factory.CreateClient());

        Assert.Equal(["apiKey"], ServiceSurface.Security(ServiceSurface.Operation(document, "POST", "/imports")));
        Assert.Equal(["apiKey"], ServiceSurface.Security(ServiceSurface.Operation(document, "GET", "/imports/{id}")));
        Assert.Equal(["apiKey"], ServiceSurface.Security(ServiceSurface.Operation(document, "POST", "/batches")));
        Assert.Equal(["apiKey"], ServiceSurface.Security(ServiceSurface.Operation(document, "GET", "/deals/{source}/{externalId}")));
        var hubspot = ServiceSurface.Operation(document, "POST", "/webhooks/hubspot");
        var salesforce = ServiceSurface.Operation(document, "POST", "/webhooks/salesforce/{token}");
        Assert.Equal(["hubSpotSignature"], ServiceSurface.Security(hubspot));
        Assert.Equal(["salesforceOrganization"], ServiceSurface.Security(salesforce));
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("X-Api-Key", schemes["apiKey"]!["name"]!.GetValue<string>());
        Assert.Equal("X-HubSpot-Signature-v3", schemes["hubSpotSignature"]!["name"]!.GetValue<string>());

        var hubspotExample = hubspot["requestBody"]!["content"]!["application/json"]!["example"]!.AsArray();
        Assert.Equal("deal.propertyChange", hubspotExample[0]!["subscriptionType"]!.GetValue<string>());
        Assert.Contains("<sf:StageName>", salesforce["requestBody"]!["content"]!["text/xml"]!["example"]!.GetValue<string>());
        Assert.NotNull(hubspot["responses"]!["200"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(hubspot["responses"]!["401"]);
        Assert.NotNull(ServiceSurface.Operation(document, "GET", "/imports/{id}")["responses"]!["404"]);
        Assert.NotNull(ServiceSurface.Operation(document, "POST", "/batches")["responses"]!["202"]!["content"]!["application/json"]!["schema"]);
    }

    [Fact]
    public async Task Webhook_changes_accepted_and_refused_are_counted_by_reason_at_metrics()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(EventBatch(PropertyChange(901, "amount", "1000", T0), PropertyChange(901, "dealstage", "no-such-stage", T0))))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Signed(EventBatch(PropertyChange(902, "amount", "1", T0)), secret: "wrong"))).StatusCode);

        var metrics = await ScrapeUntilAsync(client, m => ServiceSurface.Sample(m, "dealrisk_webhook_changes_total", ("outcome", "refused"), ("reason", "Unauthorized")) is not null);

        Assert.True(ServiceSurface.Sample(metrics, "dealrisk_webhook_changes_total", ("crm", "hubspot"), ("outcome", "accepted"), ("reason", "applied")) >= 1, metrics);
        Assert.True(ServiceSurface.Sample(metrics, "dealrisk_webhook_changes_total", ("crm", "hubspot"), ("outcome", "refused"), ("reason", "invalid-event")) >= 1, metrics);
        Assert.True(ServiceSurface.Sample(metrics, "dealrisk_webhook_changes_total", ("crm", "hubspot"), ("outcome", "refused"), ("reason", "Unauthorized")) >= 1, metrics);
    }

    [Fact]
    public async Task Logs_carry_the_request_trace_and_never_a_secret_or_the_CRMs_deal_and_people_data()
    {
        var records = new List<CapturedLog>();
        using var factory = _factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.AddOpenTelemetry(options => options.AddProcessor(new CapturingProcessor(records))))));
        var client = factory.CreateClient();
        const string dealName = "Globex merger Jane Roe";
        const string owner = "jane.roe@globex.example";

        await client.SendAsync(Signed(EventBatch(
            Creation(903, T0),
            PropertyChange(903, "dealname", dealName, T0),
            PropertyChange(903, "hubspot_owner_id", owner, T0),
            PropertyChange(903, "amount", "lots of " + owner, T0))));
        await client.SendAsync(Signed(EventBatch(PropertyChange(904, "dealname", dealName, T0)), secret: "wrong"));
        var refusedKey = new HttpRequestMessage(HttpMethod.Get, "/deals/hubspot/903");
        refusedKey.Headers.Add("X-Api-Key", "not-" + IngestionApiFactory.ApiKey);
        await client.SendAsync(refusedKey);
        var import = new HttpRequestMessage(HttpMethod.Post, "/imports?format=hubspot")
        {
            Content = new StringContent($"Record ID,Deal Name,Deal Stage,Amount,Create Date,Deal owner\n905,{dealName},nonsense,12,2026-01-01,{owner}\n", Encoding.UTF8, "text/csv"),
        };
        import.Headers.Add("X-Api-Key", IngestionApiFactory.ApiKey);
        await client.SendAsync(import);

        List<CapturedLog> logged;
        lock (records) logged = records.ToList();
        Assert.Contains(logged, record => record.Text.Contains("Refused a hubspot webhook with 401", StringComparison.Ordinal));
        Assert.All(logged.Where(record => record.Text.Contains("Refused a hubspot webhook", StringComparison.Ordinal)),
            record => Assert.NotEqual(default, record.TraceId));
        Assert.Contains(logged, record => record.Text.Contains("'amount' must be a non-negative number, not " + DealRisk.Ingestion.Webhooks.LoggedReason.Withheld, StringComparison.Ordinal));
        foreach (var forbidden in new[] { IngestionApiFactory.ApiKey, IngestionApiFactory.HubSpotSecret, dealName, owner, "Jane Roe" })
            Assert.DoesNotContain(logged, record => record.Text.Contains(forbidden, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> done)
    {
        var metrics = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            metrics = await ServiceSurface.ScrapeMetricsAsync(client);
            if (done(metrics))
                return metrics;
            await Task.Delay(200);
        }
        Assert.Fail($"The expected sample never appeared at /metrics:\n{metrics}");
        return metrics;
    }

    public void Dispose() => _factory.Dispose();

    private sealed record CapturedLog(string Text, ActivityTraceId TraceId);

    /// <summary>Copies each exported record's message, state and scopes as text: the pooled record is reused after export.</summary>
    private sealed class CapturingProcessor(List<CapturedLog> records) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord record)
        {
            var text = new StringBuilder().Append(record.CategoryName).Append(' ').Append(record.FormattedMessage).Append(' ').Append(record.Body);
            foreach (var attribute in record.Attributes ?? [])
                text.Append(' ').Append(attribute.Key).Append('=').Append(attribute.Value);
            record.ForEachScope<StringBuilder>((scope, builder) =>
            {
                foreach (var item in scope)
                    builder.Append(' ').Append(item.Key).Append('=').Append(item.Value);
            }, text);
            if (record.Exception is { } exception)
                text.Append(' ').Append(exception);
            lock (records)
                records.Add(new CapturedLog(text.ToString(), record.TraceId));
        }
    }
}
