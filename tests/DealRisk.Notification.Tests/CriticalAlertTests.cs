using DealRisk.Contracts;
using DealRisk.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Tests;

public sealed class CriticalAlertTests
{
    [Fact]
    public async Task A_deal_alerts_once_per_escalation_into_critical_and_again_only_after_it_went_below()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 60, RiskLevels.High, version: 1)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 90, RiskLevels.Critical, version: 2)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 92, RiskLevels.Critical, version: 3)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 92, RiskLevels.Critical, version: 3)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 50, RiskLevels.Medium, version: 4)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 80, RiskLevels.Critical, version: 5)));

        var alerts = notification.Published<RiskAlertRaised>();
        Assert.Equal([2L, 5L], alerts.Select(alert => alert.Score.Deal.Version));
        Assert.Equal([RiskLevels.High, RiskLevels.Medium], alerts.Select(alert => alert.PreviousLevel));
        await SlackDeliveryTests.WaitUntilSentAsync(notification, 2);
        Assert.Equal(2, slack.Requests.Count);
        Assert.All(slack.Requests, request => Assert.StartsWith("🚨 CRITICAL ALERT (1 deal @ risk):\n• D1", request.Text));
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task A_deal_named_in_the_morning_critical_alert_is_not_alerted_again_when_a_rescore_keeps_it_critical()
    {
        await using var notification = await NotificationHarness.StartAsync();
        await Batches.CompleteAsync(notification, null, Scores.Of("D1", 90, RiskLevels.Critical, version: 3), Scores.Of("D2", 60, RiskLevels.High, version: 3));

        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 93, RiskLevels.Critical, version: 4)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D2", 80, RiskLevels.Critical, version: 4)));

        Assert.Equal(["D2"], notification.Published<RiskAlertRaised>().Select(alert => alert.Score.Deal.ExternalId));
    }

    [Fact]
    public async Task An_older_score_arriving_late_raises_no_alert()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 40, RiskLevels.Medium, version: 7)));
        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 90, RiskLevels.Critical, version: 6)));

        Assert.Empty(notification.Published<RiskAlertRaised>());
        Assert.Empty(await SlackDeliveryTests.Pending(notification));
        Assert.Equal(RiskLevels.Medium, (await notification.Store.LatestRisk.GetAsync("test:D1"))!.Score.Level);
    }

    [Fact]
    public async Task Deals_turning_critical_while_the_channel_is_busy_share_one_message()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);
        slack.HoldNextRequest();

        await notification.DeliverAsync(Batches.Rescored(Scores.Critical("D1")));
        await SlackDeliveryTests.WaitUntilAsync(() => Task.FromResult(slack.Attempts == 1));
        await notification.DeliverAsync(Batches.Rescored(Scores.Critical("D2")));
        await notification.DeliverAsync(Batches.Rescored(Scores.Critical("D3")));
        slack.Release();

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.StartsWith("🚨 CRITICAL ALERT (1 deal @ risk):\n• D1", requests[0].Text);
        Assert.StartsWith("🚨 CRITICAL ALERT (2 deals @ risk):\n• D2", requests[1].Text);
        Assert.Contains("\n• D3", requests[1].Text);
        Assert.Equal(4, requests[1].Json.GetProperty("blocks").GetArrayLength());
        await SlackDeliveryTests.WaitUntilSentAsync(notification, 3);
        Assert.Equal(2, slack.Attempts);
    }

    [Fact]
    public async Task With_a_bot_token_messages_go_through_chat_postMessage_to_the_routed_channels()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-test-token",
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:Routes:critical-batch"] = "#deal-alerts",
            ["Slack:Routes:daily-summary"] = "#revenue-leadership",
        });

        await Batches.CompleteAsync(notification, null, Scores.Critical("D1"));

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.All(requests, request =>
        {
            Assert.Equal("/api/chat.postMessage", request.Path);
            Assert.Equal("Bearer xoxb-test-token", request.Authorization);
        });
        var channels = requests.ToDictionary(request => request.Json.GetProperty("channel").GetString()!, request => request.Text);
        Assert.StartsWith("🚨 CRITICAL ALERT", channels["#deal-alerts"]);
        Assert.StartsWith("📊 DAILY SUMMARY", channels["#revenue-leadership"]);
    }

    [Theory]
    [InlineData("Slack:WebhookUrl", "hooks.slack.com/services/T/B/X", "SLACK_WEBHOOK_URL (Slack:WebhookUrl) is not an absolute http(s) URL")]
    [InlineData("Slack:Webhooks:deal-alerts", "not a url", "Slack:Webhooks:deal-alerts is not an absolute http(s) URL")]
    [InlineData("Slack:Routes:critical-deal", "#deal alerts!", "Slack:Routes:critical-deal = '#deal alerts!' is not a Slack channel name")]
    [InlineData("Slack:CrmRecordUrls:hubspot", "https://app.hubspot.com/deal/", "Slack:CrmRecordUrls:hubspot must be an absolute URL containing {id}")]
    [InlineData("Email:Host", "smtp.example.com", "Email:Recipients is empty")]
    [InlineData("Outbox:LeaseDuration", "00:00:20", "Outbox:LeaseDuration must be longer than the 30 s one delivery may take")]
    public async Task A_malformed_Slack_or_email_setting_fails_start_up_with_a_message_naming_it(string key, string value, string expected)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await NotificationHarness.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, failure.Message);
    }
}
