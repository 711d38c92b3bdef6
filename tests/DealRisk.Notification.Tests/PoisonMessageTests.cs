using DealRisk.Notification.Outbox;
using DealRisk.Notification.Slack;
using DealRisk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Tests;

public sealed class PoisonMessageTests
{
    [Fact]
    public async Task A_message_Slack_keeps_refusing_is_parked_after_three_tries_the_operators_are_alerted_and_the_channel_moves_on()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.RefuseMessagesContaining("POISON");
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);
        var outbox = notification.Services.GetRequiredService<NotificationOutbox>();

        await outbox.EnqueueSlackAsync("critical-batch:poison", MessageKinds.CriticalBatch, new SlackMessage("POISON"), CancellationToken.None);
        await outbox.EnqueueSlackAsync("critical-batch:after", MessageKinds.CriticalBatch, new SlackMessage("behind the poison"), CancellationToken.None);

        var delivered = await slack.WaitForRequestsAsync(2);
        Assert.Equal(3, slack.Refused);
        Assert.Contains(delivered, request => request.Text == "behind the poison");
        var alert = Assert.Single(delivered, request => request.Text.Contains("parked", StringComparison.Ordinal));
        Assert.Contains("critical-batch:poison", alert.Text);
        Assert.Contains("HTTP 400", alert.Text);
        var parked = await Parked(notification);
        Assert.Equal(("critical-batch:poison", 3, "HTTP 400"), (Assert.Single(parked).Id, parked[0].Refusals, parked[0].LastError));
        await SlackDeliveryTests.WaitUntilAsync(async () => (await SlackDeliveryTests.Pending(notification)).Count == 0);
        await Task.Delay(1500);
        Assert.Equal(3, slack.Refused);
        Assert.Equal(2, slack.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_is_never_counted_as_a_refusal()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AnswerServerError(9);
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);
        var outbox = notification.Services.GetRequiredService<NotificationOutbox>();

        await outbox.EnqueueSlackAsync("critical-batch:flaky", MessageKinds.CriticalBatch, new SlackMessage("flaky"), CancellationToken.None);

        Assert.Equal("flaky", Assert.Single(await slack.WaitForRequestsAsync(1)).Text);
        Assert.Empty(await Parked(notification));
        var sent = Assert.Single(await SlackDeliveryTests.WaitUntilSentAsync(notification, 1));
        Assert.Equal(0, sent.Refusals);
    }

    private static async Task<List<OutboxMessage>> Parked(NotificationHarness notification)
    {
        var parked = new List<OutboxMessage>();
        await foreach (var message in notification.Store.Outbox.FindAsync("status", OutboxStatus.Parked))
            parked.Add(message);
        return parked;
    }
}
