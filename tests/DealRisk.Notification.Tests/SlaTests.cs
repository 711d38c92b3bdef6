using DealRisk.Contracts;
using DealRisk.Notification.Sla;
using DealRisk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using DealRisk.ServiceDefaults;

namespace DealRisk.Notification.Tests;

public sealed class SlaTests
{
    private static readonly ReportDeadline Deadline = new SlaOptions().Deadline(BusinessTimeZone.Default);

    [Theory]
    [InlineData("2024-07-01T10:00:00Z", "2024-07-01T14:00:00Z")]
    [InlineData("2024-07-01T14:00:00Z", "2024-07-02T14:00:00Z")]
    [InlineData("2024-12-02T10:00:00Z", "2024-12-02T15:00:00Z")]
    [InlineData("2024-03-09T20:00:00Z", "2024-03-10T14:00:00Z")]
    [InlineData("2024-11-02T20:00:00Z", "2024-11-03T15:00:00Z")]
    public void The_report_is_due_at_7_in_Los_Angeles_in_summer_and_winter_time(string now, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected), Deadline.NextAfter(DateTimeOffset.Parse(now)));
    }

    [Fact]
    public async Task A_batch_missing_a_scored_chunk_half_an_hour_after_its_manifest_alerts_the_operators_once()
    {
        await using var notification = await NotificationHarness.StartAsync();
        var check = notification.Services.GetRequiredService<StalledBatchCheck>();
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        var stalled = Guid.NewGuid();
        await notification.DeliverAsync(Batches.Chunk(stalled, Batches.AsOf, [Scores.Low("D1")]));
        await notification.DeliverAsync(Batches.Manifest(stalled, Batches.AsOf, 2, new TimeOnly(5, 0)) with { OpenChunkCount = 2, SyncedAt = anHourAgo });
        var complete = Guid.NewGuid();
        await notification.DeliverAsync(Batches.Chunk(complete, Batches.AsOf, [Scores.Low("D2")]));
        await notification.DeliverAsync(Batches.Manifest(complete, Batches.AsOf, 1, new TimeOnly(5, 0)) with { SyncedAt = anHourAgo });
        var recent = Guid.NewGuid();
        await notification.DeliverAsync(Batches.Manifest(recent, Batches.AsOf, 1, new TimeOnly(5, 0)));

        Assert.Equal(1, await check.CheckAsync(CancellationToken.None));
        Assert.Equal(0, await check.CheckAsync(CancellationToken.None));

        var alert = Assert.Single(notification.Published<OperatorAlertRaised>());
        Assert.Equal(StalledBatchCheck.AlertKind, alert.Kind);
        Assert.Equal(stalled, alert.CorrelationId);
        Assert.Contains("has 1 of 2 scored chunks", alert.Message);
    }

    [Fact]
    public async Task A_report_missing_at_the_deadline_alerts_the_operators_channel_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(BotSettings(slack));
        var check = notification.Services.GetRequiredService<ReportLatenessCheck>();
        var day = new DateOnly(2024, 7, 1);

        Assert.True(await check.CheckAsync(day, Deadline.DueFor(day), CancellationToken.None));
        Assert.False(await check.CheckAsync(day, Deadline.DueFor(day), CancellationToken.None));

        var request = Assert.Single(await slack.WaitForRequestsAsync(1));
        Assert.Equal("#revops-ops", request.Json.GetProperty("channel").GetString());
        Assert.Contains("report for 2024-07-01 was not delivered by its deadline (2024-07-01 14:00 UTC)", request.Text);
        Assert.Equal("report-late", Assert.Single(notification.Published<OperatorAlertRaised>()).Kind);
    }

    [Fact]
    public async Task At_7_in_Los_Angeles_the_watch_alerts_that_the_report_is_missing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 7, 1, 13, 50, 0, TimeSpan.Zero));
        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:WatchDeadline"] = "true" },
            configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        Assert.Empty(notification.Published<OperatorAlertRaised>());

        for (var minute = 0; minute < 20 && !await notification.Harness.Published.Any<OperatorAlertRaised>(new CancellationTokenSource(200).Token); minute++)
            clock.Advance(TimeSpan.FromMinutes(1));

        var alert = Assert.Single(notification.Published<OperatorAlertRaised>());
        Assert.Equal("report-late", alert.Kind);
        Assert.Contains("report for 2024-07-01 was not delivered by its deadline (2024-07-01 14:00 UTC)", alert.Message);
        Assert.True(clock.GetUtcNow() >= Deadline.DueFor(new DateOnly(2024, 7, 1)), $"Alerted at {clock.GetUtcNow():u}, before the deadline.");
    }

    [Fact]
    public async Task Started_after_7_without_the_day_s_report_the_watch_alerts_at_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 7, 1, 14, 30, 0, TimeSpan.Zero));

        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?> { ["Sla:WatchDeadline"] = "true" },
            configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));

        Assert.True(await notification.Harness.Published.Any<OperatorAlertRaised>(), "No report-late alert after a restart past the deadline.");
        Assert.Contains("report for 2024-07-01", Assert.Single(notification.Published<OperatorAlertRaised>()).Message);
    }

    [Fact]
    public async Task A_report_written_before_the_deadline_raises_no_alert()
    {
        await using var notification = await NotificationHarness.StartAsync();
        var day = new DateOnly(2024, 7, 1);
        await Batches.CompleteAsync(notification, day, Scores.Low("D1"));

        Assert.False(await notification.Services.GetRequiredService<ReportLatenessCheck>().CheckAsync(day, Deadline.DueFor(day), CancellationToken.None));
        Assert.Empty(notification.Published<OperatorAlertRaised>());
    }

    [Fact]
    public async Task No_fresh_CRM_data_sends_data_unavailable_to_readers_and_operators_instead_of_a_late_report_alert()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(BotSettings(slack));
        var day = new DateOnly(2024, 7, 1);
        var notice = new CrmDataUnavailable
        {
            CorrelationId = Guid.NewGuid(),
            AsOf = day,
            LastDataAt = new DateTimeOffset(2024, 6, 29, 23, 0, 0, TimeSpan.Zero),
            Window = TimeSpan.FromHours(26),
            DetectedAt = DateTimeOffset.UtcNow,
        };

        await notification.DeliverAsync(notice);
        await notification.DeliverAsync(notice);
        var late = await notification.Services.GetRequiredService<ReportLatenessCheck>().CheckAsync(day, Deadline.DueFor(day), CancellationToken.None);

        Assert.False(late);
        var requests = await slack.WaitForRequestsAsync(2);
        var byChannel = requests.ToDictionary(request => request.Json.GetProperty("channel").GetString()!, request => request.Text);
        Assert.StartsWith("⚠️ DATA UNAVAILABLE: No fresh CRM data for 2024-07-01: the last CRM data arrived 2024-06-29 23:00 UTC", byChannel["#revenue-leadership"]);
        Assert.Contains("crm-data-unavailable", byChannel["#revops-ops"]);
        Assert.Single(notification.Published<OperatorAlertRaised>());
        await SlackDeliveryTests.WaitUntilSentAsync(notification, 2);
        Assert.Equal(2, slack.Requests.Count);
    }

    [Fact]
    public async Task A_batch_for_a_day_whose_CRM_data_was_unavailable_sends_no_stale_summary()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(BotSettings(slack));
        var day = new DateOnly(2024, 7, 1);
        await notification.DeliverAsync(new CrmDataUnavailable
        {
            CorrelationId = Guid.NewGuid(), AsOf = day, Window = TimeSpan.FromHours(26), DetectedAt = DateTimeOffset.UtcNow,
        });

        await Batches.CompleteAsync(notification, day, Scores.Critical("D1"));

        Assert.Single(notification.Published<DailyReportPublished>());
        await SlackDeliveryTests.WaitUntilSentAsync(notification, 2);
        Assert.DoesNotContain(notification.Store.Outbox.ScanAsync().ToBlockingEnumerable(), message => message.Kind is "daily-summary" or "critical-batch");
        Assert.All(await slack.WaitForRequestsAsync(2), request => Assert.DoesNotContain("DAILY SUMMARY", request.Text));
    }

    [Fact]
    public async Task Operator_alerts_are_routed_by_severity_when_a_level_has_its_own_channel()
    {
        await using var slack = await FakeSlack.StartAsync();
        var settings = BotSettings(slack);
        settings["Slack:Routes:operator.critical"] = "#revops-pager";
        await using var notification = await NotificationHarness.StartAsync(settings);

        await notification.DeliverAsync(OperatorAlert("scoring-fallback", "critical", "Scoring fell back to the rules: drift"));
        await notification.DeliverAsync(OperatorAlert("model-refused", "warning", "A model file was refused"));

        var requests = await slack.WaitForRequestsAsync(2);
        var byChannel = requests.ToDictionary(request => request.Json.GetProperty("channel").GetString()!, request => request.Text);
        Assert.Contains("Scoring fell back to the rules: drift", byChannel["#revops-pager"]);
        Assert.Contains("A model file was refused", byChannel["#revops-ops"]);
    }

    private static OperatorAlertRaised OperatorAlert(string kind, string severity, string message) => new()
    {
        CorrelationId = Guid.NewGuid(), Kind = kind, Severity = severity, Message = message, Source = "scoring", RaisedAt = DateTimeOffset.UtcNow,
    };

    private static Dictionary<string, string?> BotSettings(FakeSlack slack) => new()
    {
        ["SLACK_BOT_TOKEN"] = "xoxb-test",
        ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
    };
}
