using DealRisk.Contracts;
using DealRisk.Notification.Slack;

namespace DealRisk.Notification.Tests;

public sealed class SlackBlocksTests
{
    private readonly SlackBlocks _blocks = new(new SlackOptions { CrmRecordUrls = { ["salesforce"] = "https://acme.my.salesforce.com/{id}" } });

    [Fact]
    public void A_message_for_many_critical_deals_stays_within_Slacks_50_blocks_and_says_how_many_more_there_are()
    {
        var deals = Enumerable.Range(1, 60).Select(i => Scores.Critical($"D{i}")).ToList();

        var message = _blocks.CriticalDeals(deals, 80, "fresh");

        Assert.True(message.Blocks!.Count <= 50);
        Assert.Equal("…and 35 more in the daily report", message.Blocks[^2]!["text"]!["text"]!.GetValue<string>());
        Assert.StartsWith("🚨 CRITICAL ALERT (80 deals @ risk):", message.Text);
    }

    [Fact]
    public void The_CRM_button_links_to_the_record_with_the_id_escaped()
    {
        var message = _blocks.CriticalDeals([Scores.Of("006/../x y", 90, RiskLevels.Critical, source: "salesforce")], 1, "fresh");

        Assert.Equal("https://acme.my.salesforce.com/006%2F..%2Fx%20y", message.Blocks![1]!["accessory"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void A_deal_from_a_source_without_a_link_template_gets_no_button()
    {
        var message = _blocks.CriticalDeals([Scores.Critical("D1")], 1, "fresh");

        Assert.Null(message.Blocks![1]!["accessory"]);
    }
}
