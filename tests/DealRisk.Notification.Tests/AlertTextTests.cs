using DealRisk.Contracts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Slack;

namespace DealRisk.Notification.Tests;

public sealed class AlertTextTests
{
    [Theory]
    [InlineData("Acme & Co", "Acme &amp; Co")]
    [InlineData("<!channel> now", "&lt;!channel&gt; now")]
    [InlineData("<https://evil.example|click>", "&lt;https://evil.example|click&gt;")]
    [InlineData("already &lt; escaped", "already &amp;lt; escaped")]
    [InlineData(null, "")]
    public void Slack_control_characters_are_escaped(string? text, string expected)
    {
        Assert.Equal(expected, SlackText.Escape(text));
    }

    [Theory]
    [InlineData(950, "$950")]
    [InlineData(0, "$0")]
    [InlineData(45_000, "$45k")]
    [InlineData(45_500, "$45.5k")]
    [InlineData(1_400_000, "$1.4M")]
    [InlineData(2_000_000, "$2M")]
    [InlineData(999.6, "$1k")]
    [InlineData(999_950, "$1M")]
    [InlineData(6_767_800_000, "$6.8B")]
    public void Money_is_written_the_way_sales_people_say_it(decimal amount, string expected)
    {
        Assert.Equal(expected, Money.Format(amount));
    }

    [Fact]
    public void The_alert_lists_the_critical_deals_then_the_daily_summary()
    {
        var critical = new[] { Scores.Critical("D12345", amount: 45_000m), Scores.Critical("D67890", amount: 28_000m), Scores.Critical("D11111") };

        var text = CriticalAlertText.Compose(Summaries.With(highRisk: 12, acvAtRisk: 1_400_000m, critical: 3, criticalDeals: critical), maxDeals: 10);

        var lines = text.Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal("🚨 CRITICAL ALERT (3 deals @ risk):", lines[0]);
        Assert.StartsWith("• D12345 (ACV $45k) - Rep win rate in the bottom 20%, 45 days in Proposal → ACTION: Executive sponsor call", lines[1]);
        Assert.StartsWith("• D67890 (ACV $28k)", lines[2]);
        Assert.Equal("📊 DAILY SUMMARY: 12 high-risk deals ($1.4M ACV @ risk)", lines[^1]);
    }

    [Fact]
    public void A_single_critical_deal_is_a_deal_not_deals()
    {
        var text = CriticalAlertText.Compose(Summaries.With(highRisk: 1, acvAtRisk: 950m, critical: 1, criticalDeals: [Scores.Critical("D1", amount: 950m)]), maxDeals: 10);

        Assert.StartsWith("🚨 CRITICAL ALERT (1 deal @ risk):", text);
        Assert.EndsWith("📊 DAILY SUMMARY: 1 high-risk deals ($950 ACV @ risk)", text);
    }

    [Fact]
    public void Critical_deals_beyond_the_limit_are_summed_up_as_more_in_the_report()
    {
        var critical = Enumerable.Range(1, 12).Select(i => Scores.Critical($"D{i}")).ToList();

        var text = CriticalAlertText.Compose(Summaries.With(highRisk: 20, critical: 12, criticalDeals: critical), maxDeals: 10);

        var lines = text.Split('\n');
        Assert.Equal(10, lines.Count(line => line.StartsWith("• ", StringComparison.Ordinal)));
        Assert.Contains("…and 2 more in the report", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("• D11 ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_day_without_critical_deals_sends_only_the_summary_line()
    {
        var text = CriticalAlertText.Compose(Summaries.With(highRisk: 4, acvAtRisk: 45_000m, critical: 0), maxDeals: 10);

        Assert.Equal("📊 DAILY SUMMARY: 4 high-risk deals ($45k ACV @ risk)", text);
    }

    [Fact]
    public void CRM_text_in_a_deal_line_is_escaped_for_Slack()
    {
        var score = Scores.Of("D1", 95, RiskLevels.Critical, name: "<!here> Acme & Sons") with { Action = "Ping <@U123>", Reasons = ["price > budget"] };

        var line = CriticalAlertText.DealLine(score);

        Assert.Equal("• D1 &lt;!here&gt; Acme &amp; Sons (ACV $10k) - price &gt; budget → ACTION: Ping &lt;@U123&gt;", line);
    }
}
