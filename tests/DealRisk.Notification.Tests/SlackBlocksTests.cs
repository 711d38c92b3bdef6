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

public sealed class SlackWhyNowTests
{
    private readonly SlackBlocks _blocks = new(new SlackOptions());

    [Fact]
    public void A_critical_alert_says_why_now_with_the_movement_and_hostile_CRM_text_escaped()
    {
        var score = Movements.Moved(Scores.Of("D1", 82, RiskLevels.Critical), 54, RiskLevels.Medium, crmValue: Movements.HostileText);

        var text = _blocks.CriticalDeals([score], 1, "fresh").Blocks![1]!["text"]!["text"]!.GetValue<string>();

        var whyNow = Assert.Single(text.Split('\n'), line => line.StartsWith("*Why now:*"));
        Assert.StartsWith("*Why now:* Up 28 to CRITICAL: no activity for 30 days (new), next step ", whyNow);
        Assert.Contains("&lt;img src=x onerror=\"window.__xss=1\"&gt;", whyNow);
        Assert.Contains("&amp; &lt;b&gt;bold&lt;/b&gt;", whyNow);
        Assert.DoesNotContain("<img", text);
    }

    [Fact]
    public void A_first_score_says_what_triggered_it_and_a_score_without_trigger_adds_no_line()
    {
        var first = Scores.Critical("D1") with
        {
            Trigger = new ScoreTrigger
            {
                Kind = ScoreTrigger.CrmChangeKind, At = DateTimeOffset.UnixEpoch,
                Changes = [new DealChange { At = DateTimeOffset.UnixEpoch, Field = DealFields.Stage, From = "Demo", To = "Proposal" }],
            },
        };

        var blocks = _blocks.CriticalDeals([first, Scores.Critical("D2")], 2, "fresh").Blocks!;

        Assert.Contains("*Why now:* First score, after stage: Demo → Proposal", blocks[1]!["text"]!["text"]!.GetValue<string>());
        Assert.DoesNotContain("Why now", blocks[2]!["text"]!["text"]!.GetValue<string>());
    }
}
