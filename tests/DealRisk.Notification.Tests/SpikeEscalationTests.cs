using DealRisk.Notification.Alerts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Sla;
using DealRisk.Notification.Storage;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

public sealed class SpikeEscalationTests
{
    private static readonly DateOnly Today = new(2024, 7, 8);

    [Theory]
    [InlineData(16, 100_000, true)]
    [InlineData(10, 200_000, true)]
    [InlineData(15, 150_000, false)]
    [InlineData(10, 100_000, false)]
    public void A_spike_is_more_than_the_threshold_above_the_trailing_average_of_deals_or_ACV(int highRisk, int acv, bool spike)
    {
        var trailing = Enumerable.Range(1, 7).Select(back => Point(Today.AddDays(-back), 10, 100_000m)).ToList();

        var detected = SpikeDetector.Detect(Summary(highRisk, acv), trailing, new SlaOptions { SpikeThreshold = 0.5 });

        Assert.Equal(spike, detected is not null);
    }

    [Fact]
    public void Too_little_history_judges_no_spike()
    {
        var detected = SpikeDetector.Detect(Summary(100, 10_000_000), [Point(Today.AddDays(-1), 1, 1m)], new SlaOptions { MinimumHistoryDays = 3 });

        Assert.Null(detected);
    }

    [Fact]
    public async Task A_spiking_day_escalates_to_the_CRO_by_Slack_and_email_and_raises_the_dashboard_banner()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var smtp = await SmtpSink.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-test",
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:Routes:escalation"] = "#cro",
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = smtp.Port.ToString(),
            ["Email:Security"] = "None",
            ["Email:Recipients"] = "revops@example.com",
            ["Email:EscalationRecipients"] = "cro@example.com",
        });
        for (var back = 3; back >= 1; back--)
            await Batches.CompleteAsync(notification, Today.AddDays(-back), Scores.High("D1", amount: 100_000m));

        await Batches.CompleteAsync(notification, Today, Scores.High("D1", amount: 100_000m), Scores.High("D2", amount: 100_000m));

        var banner = await notification.Store.Escalations.GetAsync("2024-07-08");
        Assert.NotNull(banner);
        Assert.Equal("2 high-risk deals against a 3-day average of 1; $200k ACV at risk against a 3-day average of $100k", banner.Description);
        var escalation = Assert.Single(await slack.WaitForRequestsAsync(5), request => request.Json.GetProperty("channel").GetString() == "#cro");
        Assert.StartsWith("🚨 ESCALATION: high-risk spike on 2024-07-08", escalation.Text);
        var emails = await smtp.WaitForMessagesAsync(5);
        var toCro = Assert.Single(emails, email => email.To.Mailboxes.Any(mailbox => mailbox.Address == "cro@example.com"));
        Assert.Equal("Escalation: high-risk spike on 2024-07-08", toCro.Subject);
    }

    private static DailyRiskPoint Point(DateOnly day, int highRisk, decimal acv) => new()
    {
        AsOf = day, OpenDeals = 100, HighRiskDeals = highRisk, CriticalDeals = 0, AcvAtRisk = acv, PublishedAt = DateTimeOffset.UtcNow,
    };

    private static ReportSummary Summary(int highRisk, decimal acv) => new ReportAccumulator(Today).Build(null) with
    {
        HighRiskDeals = highRisk,
        AcvAtRisk = acv,
    };
}
