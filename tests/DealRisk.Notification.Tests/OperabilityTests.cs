using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Tests;

/// <summary>What an operator gets from the notification service: its dashboard API described, its outbox and batches measured.</summary>
public sealed class OperabilityTests
{
    [Fact]
    public async Task Every_dashboard_endpoint_is_in_the_OpenAPI_document_with_the_cookie_it_needs()
    {
        await using var server = await DashboardServer.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        var document = await ServiceSurface.OpenApiDocumentAsync(client);
        var mapped = ServiceSurface.MappedEndpoints(server.Services.GetRequiredService<EndpointDataSource>());

        Assert.Contains(("GET", "/dashboard/api/summary"), mapped);
        Assert.Contains(("GET", "/dashboard/track-record"), mapped);
        Assert.Equal(8, mapped.Count);
        foreach (var (method, path) in mapped)
            ServiceSurface.Operation(document, method, path);
        Assert.Equal(["dashboardCookie"], ServiceSurface.Security(ServiceSurface.Operation(document, "GET", "/dashboard/api/summary")));
        Assert.Equal(["dashboardCookie"], ServiceSurface.Security(ServiceSurface.Operation(document, "GET", "/dashboard")));
        Assert.Equal(["dashboardCookie"], ServiceSurface.Security(ServiceSurface.Operation(document, "GET", "/dashboard/api/track-record")));
        Assert.Equal(["dashboardCookie"], ServiceSurface.Security(ServiceSurface.Operation(document, "GET", "/dashboard/deals/{source}/{externalId}")));
        Assert.Empty(ServiceSurface.Security(ServiceSurface.Operation(document, "POST", "/dashboard/sign-in")));
        Assert.NotNull(ServiceSurface.Operation(document, "GET", "/dashboard/api/summary")["responses"]!["200"]!["content"]!["application/json"]!["schema"]);
        Assert.Contains("# TYPE", await ServiceSurface.ScrapeMetricsAsync(client));
    }

    [Fact]
    public async Task A_delivered_batch_records_batch_duration_throughput_outbox_depth_and_delivery_latency_per_channel()
    {
        using var measurements = new MetricMeasurements(DealRiskMetrics.MeterName);
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await Batches.CompleteAsync(notification, null, Scores.Critical("D1"), Scores.Low("D2"));
        await slack.WaitForRequestsAsync(2);
        await SlackDeliveryTests.WaitUntilSentAsync(notification, 2);

        Assert.Contains(measurements.Of("dealrisk_outbox_delivery_latency"), m => m.Tag("channel") == "#deal-alerts" && m.Value >= 0);
        Assert.Contains(measurements.Of("dealrisk_outbox_delivery_latency"), m => m.Tag("channel") == "#revenue-leadership");
        Assert.Contains(measurements.Of("dealrisk_outbox_depth"), m => m.Tag("channel") == "#revenue-leadership" && m.Value >= 1);
        Assert.Contains(measurements.Of("dealrisk_batch_duration"), m => m.Value >= 0);
        Assert.Contains(measurements.Of("dealrisk_batch_deals_per_second"), m => m.Value > 0);
    }
}
