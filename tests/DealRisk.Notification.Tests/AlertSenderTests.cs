using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Notification.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class AlertSenderTests
{
    private const string AlertText = "🚨 CRITICAL ALERT (1 deal @ risk):\n• D1 Acme &amp; Co (ACV $45k) - stalled → ACTION: call\n📊 DAILY SUMMARY: 1 high-risk deals ($45k ACV @ risk)";

    [Fact]
    public async Task With_a_webhook_URL_the_alert_is_posted_to_that_path_as_JSON_text()
    {
        await using var slack = await SlackWebhookRecorder.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await notification.Services.GetRequiredService<AlertSender>().SendAsync(AlertText, CancellationToken.None);

        var request = Assert.Single(slack.Requests);
        Assert.Equal(SlackWebhookRecorder.WebhookPath, request.Path);
        Assert.StartsWith("application/json", request.ContentType);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(AlertText, json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_completed_batch_posts_its_critical_alert_to_the_webhook()
    {
        await using var slack = await SlackWebhookRecorder.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);
        var batchId = Guid.NewGuid();
        var asOf = new DateOnly(2024, 6, 30);

        await notification.DeliverAsync(new DealScored
        {
            CorrelationId = batchId,
            AsOf = DateTimeOffset.UtcNow,
            Batch = new BatchChunk { BatchId = batchId, AsOf = asOf, ChunkIndex = 0 },
            Scorer = "rules",
            Scores = [Scores.Of("D12345", 95, RiskLevels.Critical, amount: 45_000m, name: "Acme <Renewal>"), Scores.Low("D2")],
        });
        await notification.DeliverAsync(new DailyBatchSynced
        {
            BatchId = batchId,
            CorrelationId = batchId,
            AsOf = asOf,
            Trigger = "test",
            HistoryChunkCount = 0,
            OpenChunkCount = 1,
            HistoryDeals = 0,
            OpenDeals = 2,
            SyncedAt = DateTimeOffset.UtcNow,
        });

        Assert.Single(notification.Published<DailyReportPublished>());
        var request = Assert.Single(slack.Requests);
        using var json = JsonDocument.Parse(request.Body);
        var lines = json.RootElement.GetProperty("text").GetString()!.Split('\n');
        Assert.Equal("🚨 CRITICAL ALERT (1 deal @ risk):", lines[0]);
        Assert.StartsWith("• D12345 Acme &lt;Renewal&gt; (ACV $45k)", lines[1]);
        Assert.Equal("📊 DAILY SUMMARY: 1 high-risk deals ($45k ACV @ risk)", lines[2]);
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task A_Slack_outage_does_not_stop_the_report()
    {
        await using var slack = await SlackWebhookRecorder.StartAsync(dropFirstRequests: 1);
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await notification.DeliverAsync(EmptyBatch());

        Assert.Single(notification.Published<DailyReportPublished>());
        Assert.Equal(1, slack.Attempts);
        Assert.Empty(slack.Requests);
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task Without_a_webhook_URL_the_alert_goes_to_the_console()
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        var sender = new AlertSender(
            services,
            Options.Create(new SlackOptions { WebhookUrl = null }),
            NullLogger<AlertSender>.Instance);
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            await sender.SendAsync(AlertText, CancellationToken.None);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(AlertText + Environment.NewLine, captured.ToString());
    }

    private static DailyBatchSynced EmptyBatch()
    {
        var batchId = Guid.NewGuid();
        return new DailyBatchSynced
        {
            BatchId = batchId,
            CorrelationId = batchId,
            AsOf = new DateOnly(2024, 6, 30),
            Trigger = "test",
            HistoryChunkCount = 0,
            OpenChunkCount = 0,
            HistoryDeals = 0,
            OpenDeals = 0,
            SyncedAt = DateTimeOffset.UtcNow,
        };
    }
}
