using System.Text.RegularExpressions;
using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using Microsoft.Extensions.DependencyInjection;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

/// <summary>Two notification replicas, each with its own outbox dispatcher, over one store: what scaling out looks like.</summary>
public sealed partial class OutboxScaleOutTests
{
    [Fact]
    public async Task Two_dispatchers_over_one_store_send_each_alert_once_at_one_message_per_second()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AnswerServerError(6);
        var settings = new Dictionary<string, string?> { ["Slack:WebhookUrl"] = slack.WebhookUrl };
        var data = new TempDirectory();
        var first = await NotificationHarness.StartAsync(settings, data);
        await using var second = await NotificationHarness.StartAsync(settings, data);
        try
        {
            var deals = Enumerable.Range(1, 30).Select(i => $"SCALE{i:00}").ToList();
            for (var i = 0; i < deals.Count; i++)
                await (i % 2 == 0 ? first : second).DeliverAsync(Batches.Rescored(Scores.Critical(deals[i])));

            // At least one second per message and backoff after the failures: on a loaded machine this takes well over a minute.
            await SlackDeliveryTests.WaitUntilAsync(async () => (await SlackDeliveryTests.Pending(first)).Count == 0, TimeSpan.FromMinutes(4));
            await Task.Delay(TimeSpan.FromSeconds(2));

            var requests = slack.Requests.ToList();
            var named = requests.SelectMany(request => DealIds().Matches(request.Text).Select(match => match.Value).Distinct()).ToList();
            Assert.Equal(deals, named.Order(StringComparer.Ordinal));
            var gaps = requests.Zip(requests.Skip(1), (a, b) => System.Diagnostics.Stopwatch.GetElapsedTime(a.ArrivedTicks, b.ArrivedTicks)).ToList();
            // A dispatcher opens the channel one second after Slack answered, which is after the fake recorded the arrival;
            // 10 ms allow for the fake's monotonic clock against the dispatchers' wall clock.
            Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(990), $"Two messages reached the webhook {gap.TotalMilliseconds:0} ms apart."));
            first.AssertNoFaults();
            second.AssertNoFaults();
        }
        finally
        {
            await first.StopKeepingDataAsync();
        }
    }

    [Fact]
    public async Task A_message_claimed_by_a_dispatcher_that_died_is_sent_once_its_lease_runs_out()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(slack.WebhookUrl);
        var now = DateTimeOffset.UtcNow;
        var orphan = Claimed("orphan", "died-mid-delivery", leaseUntil: now.AddSeconds(-1));
        var held = Claimed("held", "still-sending", leaseUntil: now.AddMinutes(10));
        await notification.Store.Outbox.UpsertIfNewerAsync(orphan.Id, orphan.Revision, orphan);
        await notification.Store.Outbox.UpsertIfNewerAsync(held.Id, held.Revision, held);

        notification.Services.GetRequiredService<OutboxSignal>().Wake();

        var request = Assert.Single(await slack.WaitForRequestsAsync(1));
        Assert.Equal("orphan", request.Text);
        var sent = Assert.Single(await SlackDeliveryTests.WaitUntilSentAsync(notification, 1));
        Assert.Equal(orphan.Id, sent.Id);
        Assert.Null(sent.Owner);
        var stillHeld = await notification.Store.Outbox.GetAsync(held.Id);
        Assert.Equal(OutboxStatus.Sending, stillHeld!.Status);
        Assert.Equal("still-sending", stillHeld.Owner);
        Assert.Single(slack.Requests);
    }

    [Fact]
    public async Task Of_two_dispatchers_claiming_one_message_only_one_succeeds()
    {
        await using var notification = await NotificationHarness.StartAsync();
        var claims = notification.Services.GetRequiredService<OutboxClaims>();
        var message = new OutboxMessage { Id = "race", Kind = "operator", Destination = "#revops-ops", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.MaxValue };
        await notification.Store.Outbox.InsertIfAbsentAsync(message.Id, message);

        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => claims.TryClaimAsync(message, $"dispatcher-{i}", until, CancellationToken.None)));

        var winner = Assert.Single(attempts, claimed => claimed is not null)!;
        var stored = await notification.Store.Outbox.GetAsync("race");
        Assert.Equal(winner.Owner, stored!.Owner);
        Assert.Equal(OutboxStatus.Sending, stored.Status);

        var successor = await claims.TryClaimAsync(stored, "successor-after-the-lease", until, CancellationToken.None);
        Assert.NotNull(successor);
        Assert.False(await claims.CompleteAsync(winner, winner with { Status = OutboxStatus.Sent }));
        Assert.True(await claims.CompleteAsync(successor, successor with { Status = OutboxStatus.Sent }));
    }

    [Fact]
    public async Task A_channel_stays_closed_while_a_message_is_in_flight_and_opens_one_interval_after_it_landed()
    {
        await using var notification = await NotificationHarness.StartAsync();
        var pacing = notification.Services.GetRequiredService<ChannelPacing>();
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var (held, _) = await pacing.TryReserveAsync("#revops-alerts", start, start.AddMinutes(2), CancellationToken.None);
        Assert.NotNull(held);
        var (slowSender, closedUntil) = await pacing.TryReserveAsync("#revops-alerts", start.AddSeconds(5), start.AddMinutes(3), CancellationToken.None);
        Assert.Null(slowSender);
        Assert.Equal(start.AddMinutes(2), closedUntil);

        var landed = start.AddSeconds(7);
        await pacing.ReleaseAsync(held, landed.AddSeconds(1));
        var (tooSoon, _) = await pacing.TryReserveAsync("#revops-alerts", landed.AddMilliseconds(900), start.AddMinutes(3), CancellationToken.None);
        Assert.Null(tooSoon);
        var (next, _) = await pacing.TryReserveAsync("#revops-alerts", landed.AddSeconds(1), start.AddMinutes(3), CancellationToken.None);
        Assert.NotNull(next);
    }

    private static OutboxMessage Claimed(string text, string owner, DateTimeOffset leaseUntil) => new()
    {
        Id = $"operator:{text}",
        Kind = "operator",
        Destination = "#revops-ops",
        Status = OutboxStatus.Sending,
        Owner = owner,
        LeaseUntil = leaseUntil,
        Revision = 1,
        Text = text,
        CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(-5),
    };

    [GeneratedRegex(@"\bSCALE\d\d\b")]
    private static partial Regex DealIds();
}
