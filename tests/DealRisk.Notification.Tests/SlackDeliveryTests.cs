using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Tests;

public sealed class SlackDeliveryTests
{
    [Fact]
    public async Task A_completed_batch_posts_the_grouped_critical_alert_then_the_daily_summary_as_Block_Kit()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:WebhookUrl"] = slack.WebhookUrl,
            ["Slack:CrmRecordUrls:hubspot"] = "https://app.hubspot.com/contacts/42/deal/{id}",
        });

        await Batches.CompleteAsync(notification, null,
            Scores.Of("D12345", 95, RiskLevels.Critical, amount: 45_000m, source: "hubspot"),
            Scores.Of("D67890", 80, RiskLevels.Critical, amount: 28_000m, source: "hubspot"),
            Scores.High("D3", amount: 1_327_000m),
            Scores.Low("D4"));

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.All(requests, request => Assert.Equal(FakeSlack.WebhookPath, request.Path));
        var critical = requests[0].Json;
        Assert.StartsWith("🚨 CRITICAL ALERT (2 deals @ risk):\n• D12345", requests[0].Text);
        var blocks = critical.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("🚨 CRITICAL: 2 deals at risk", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var deal = blocks[1];
        Assert.Equal("section", deal.GetProperty("type").GetString());
        var fields = deal.GetProperty("fields").EnumerateArray().Select(field => field.GetProperty("text").GetString()).ToList();
        Assert.Equal(["*ACV*\n$45k", "*Stage*\nProposal", "*Days in stage*\n45", "*Score*\n95 (CRITICAL)"], fields);
        Assert.Contains("*Action:* Executive sponsor call", deal.GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("https://app.hubspot.com/contacts/42/deal/D12345", deal.GetProperty("accessory").GetProperty("url").GetString());
        Assert.Equal("context", blocks[^1].GetProperty("type").GetString());
        Assert.Equal("CRM data as of 2024-06-30 05:00 UTC · scored by rules",
            blocks[^1].GetProperty("elements")[0].GetProperty("text").GetString());

        Assert.Equal("📊 DAILY SUMMARY: 3 high-risk deals ($1.4M ACV @ risk)", requests[1].Text);
        Assert.Equal("header", requests[1].Json.GetProperty("blocks")[0].GetProperty("type").GetString());
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task Channels_routed_through_one_incoming_webhook_share_its_one_message_per_second()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await Batches.CompleteAsync(notification, null, Scores.Of("D1", 95, RiskLevels.Critical), Scores.Low("D2"));

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.StartsWith("🚨 CRITICAL ALERT", requests[0].Text);
        Assert.StartsWith("📊 DAILY SUMMARY", requests[1].Text);
        var apart = System.Diagnostics.Stopwatch.GetElapsedTime(requests[0].ArrivedTicks, requests[1].ArrivedTicks);
        Assert.True(apart >= TimeSpan.FromMilliseconds(950), $"The two messages reached the one webhook {apart.TotalMilliseconds:0} ms apart.");
    }

    [Fact]
    public async Task Hostile_deal_names_reach_Slack_with_ampersands_and_angle_brackets_escaped()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 95, RiskLevels.Critical, name: "<!channel> Acme & <https://evil.example|Co>")));

        var request = Assert.Single(await slack.WaitForRequestsAsync(1));
        Assert.DoesNotContain("<!channel>", request.Body);
        Assert.DoesNotContain("<https://evil", request.Body);
        var section = request.Json.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString();
        Assert.StartsWith("*&lt;!channel&gt; Acme &amp; &lt;https://evil.example|Co&gt; · Acme*", section);
        Assert.Contains("&lt;!channel&gt; Acme &amp; &lt;https://evil.example|Co&gt;", request.Text);
    }

    [Fact]
    public async Task A_message_answered_with_server_errors_is_retried_and_delivered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AnswerServerError(4);
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await Batches.CompleteAsync(notification, null, Scores.Low("D1"));

        var request = Assert.Single(await slack.WaitForRequestsAsync(1));
        Assert.StartsWith("📊 DAILY SUMMARY", request.Text);
        Assert.Equal(5, slack.Attempts);
        var sent = await WaitUntilSentAsync(notification, 1);
        Assert.True(Assert.Single(sent).Attempts >= 2);
    }

    [Fact]
    public async Task A_critical_alert_retried_after_server_errors_still_reaches_Slack_before_its_batch_summary_on_another_channel()
    {
        await using var slack = await FakeSlack.StartAsync();
        const string alertsPath = "/services/T000/B001/ALERTS", leadershipPath = "/services/T000/B002/LEADERSHIP";
        slack.AnswerServerError(3);
        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:Webhooks:deal-alerts"] = slack.BaseUrl + alertsPath,
            ["Slack:Webhooks:revenue-leadership"] = slack.BaseUrl + leadershipPath,
        });

        await Batches.CompleteAsync(notification, null, Scores.Critical("D1"), Scores.Low("D2"));

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.True(slack.Attempts >= 5, $"Slack was asked {slack.Attempts} times: the alert never failed, so the test proves nothing.");
        Assert.Equal(alertsPath, requests[0].Path);
        Assert.StartsWith("🚨 CRITICAL ALERT (1 deal @ risk)", requests[0].Text);
        Assert.Equal(leadershipPath, requests[1].Path);
        Assert.StartsWith("📊 DAILY SUMMARY", requests[1].Text);
        var alert = (await WaitUntilSentAsync(notification, 2)).Single(message => message.Kind == "critical-batch");
        Assert.True(alert.Attempts >= 2);
    }

    [Fact]
    public async Task A_429_pauses_the_channel_for_Retry_After_and_the_message_is_delivered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AnswerTooManyRequests(1, retryAfterSeconds: 3);
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);

        await Batches.CompleteAsync(notification, null, Scores.Low("D1"));

        var request = Assert.Single(await slack.WaitForRequestsAsync(1));
        Assert.StartsWith("📊 DAILY SUMMARY", request.Text);
        Assert.Equal(2, slack.Attempts);
        var attempts = slack.AttemptTicks.ToArray();
        var pause = System.Diagnostics.Stopwatch.GetElapsedTime(attempts[0], attempts[1]);
        // Backoff alone would retry after about a second; Retry-After asked for three.
        Assert.True(pause >= TimeSpan.FromSeconds(2.9), $"Slack was asked again {pause.TotalMilliseconds:0} ms after its 429 with Retry-After: 3.");
        var message = Assert.Single(await WaitUntilSentAsync(notification, 1));
        Assert.Equal(2, message.Attempts);
    }

    [Fact]
    public async Task Messages_queued_while_Slack_is_unreachable_survive_a_restart_and_are_delivered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var unreachable = new Dictionary<string, string?> { ["Slack:WebhookUrl"] = "http://127.0.0.1:9" + FakeSlack.WebhookPath };
        var first = await NotificationHarness.StartAsync(unreachable);
        await Batches.CompleteAsync(first, null, Scores.Critical("D1"), Scores.Low("D2"));
        Assert.Single(first.Published<DailyReportPublished>());
        await WaitUntilAsync(async () => (await Pending(first)).Any(message => message.Kind == "critical-batch" && message.Attempts >= 1));
        var pending = await Pending(first);
        Assert.Equal(2, pending.Count);
        Assert.Equal(0, pending.Single(message => message.Kind == "daily-summary").Attempts);
        var data = await first.StopKeepingDataAsync();

        await using var second = await NotificationHarness.StartAsync(new Dictionary<string, string?> { ["Slack:WebhookUrl"] = slack.WebhookUrl }, data);

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.StartsWith("🚨 CRITICAL ALERT (1 deal @ risk)", requests[0].Text);
        Assert.StartsWith("📊 DAILY SUMMARY", requests[1].Text);
        await WaitUntilSentAsync(second, 2);
        Assert.Equal(2, slack.Requests.Count);
    }

    [Fact]
    public async Task Completing_the_same_batch_again_queues_no_second_message()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);
        var scores = new[] { Scores.Critical("D1") };
        var batchId = await Batches.CompleteAsync(notification, null, scores);
        await slack.WaitForRequestsAsync(2);
        await WaitUntilSentAsync(notification, 2);

        await notification.DeliverAsync(Batches.Chunk(batchId, Batches.AsOf, scores));
        await notification.DeliverAsync(Batches.Manifest(batchId, Batches.AsOf, scores.Length, new TimeOnly(5, 0)));

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, notification.Store.Outbox.ScanAsync().ToBlockingEnumerable().Count());
        Assert.Empty(await Pending(notification));
        Assert.Equal(2, slack.Requests.Count);
        Assert.Single(notification.Published<DailyReportPublished>());
    }

    internal static async Task<List<OutboxMessage>> Pending(NotificationHarness notification)
    {
        var pending = new List<OutboxMessage>();
        await foreach (var message in notification.Store.Outbox.FindAsync("status", OutboxStatus.Pending))
            pending.Add(message);
        await foreach (var message in notification.Store.Outbox.FindAsync("status", OutboxStatus.Sending))
            pending.Add(message);
        return pending;
    }

    internal static async Task<List<OutboxMessage>> WaitUntilSentAsync(NotificationHarness notification, int count)
    {
        var sent = new List<OutboxMessage>();
        await WaitUntilAsync(async () =>
        {
            sent.Clear();
            await foreach (var message in notification.Store.Outbox.FindAsync("status", OutboxStatus.Sent))
                sent.Add(message);
            return sent.Count >= count;
        });
        return sent;
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(1);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"The condition did not hold within {limit.TotalSeconds:0} s.");
    }
}
