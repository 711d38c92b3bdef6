using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Tests;

public sealed class ExecutiveSummaryTests
{
    [Fact]
    public void The_summary_opens_with_the_date_and_the_headline()
    {
        var markdown = ExecutiveSummary.ToMarkdown(Summaries.With(highRisk: 12, acvAtRisk: 1_400_000m, critical: 3));

        var lines = markdown.Split('\n');
        Assert.Equal("# Deal risk — 2024-06-30", lines[0]);
        Assert.Contains("**12 high-risk deals, $1.4M ACV at risk** across 140 open deals (3 critical).", markdown);
        Assert.Contains("| CRITICAL | 3 |", markdown);
        Assert.Contains("| HIGH | 9 |", markdown);
        Assert.Contains("| LOW | 0 |", markdown);
        Assert.Contains("more than 3 key fields missing): 4", markdown);
    }

    [Fact]
    public void HTML_in_a_deal_name_or_rep_is_escaped()
    {
        var hostile = Scores.Of("D1", 90, RiskLevels.Critical, name: "<img src=x onerror=alert(1)>", owner: "<b>rep</b>");
        var summary = Summaries.With(topDeals: [hostile], byRep: [new RiskTotal("<script>x</script>", 1, 10_000m)]);

        var markdown = ExecutiveSummary.ToMarkdown(summary);

        Assert.DoesNotContain("<img", markdown);
        Assert.DoesNotContain("<b>", markdown);
        Assert.DoesNotContain("<script>", markdown);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", markdown);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", markdown);
    }

    [Fact]
    public void Pipes_and_line_breaks_in_CRM_text_do_not_break_the_table()
    {
        var hostile = Scores.Of("D1", 90, RiskLevels.Critical, name: "Acme | Globex\nrenewal", owner: "rep|1") with
        {
            Reasons = ["stalled | 95 days", "partner lead"],
            Action = "Call\r\nthe CFO | today",
        };
        var summary = Summaries.With(topDeals: [hostile, Scores.High("D2")]);

        var markdown = ExecutiveSummary.ToMarkdown(summary);

        var table = TopDealsTable(markdown);
        Assert.Equal(4, table.Count);
        var columns = UnescapedPipes(table[0]);
        Assert.All(table, row => Assert.Equal(columns, UnescapedPipes(row)));
        Assert.Contains("Acme \\| Globex renewal", table[2]);
    }

    private static List<string> TopDealsTable(string markdown) =>
        markdown.Split('\n')
            .SkipWhile(line => !line.StartsWith("## Top 10", StringComparison.Ordinal))
            .Skip(2)
            .TakeWhile(line => line.StartsWith('|'))
            .ToList();

    private static int UnescapedPipes(string line) => line.Where((c, i) => c == '|' && (i == 0 || line[i - 1] != '\\')).Count();
}

public sealed class MoversTests
{
    [Fact]
    public void The_movers_are_the_newly_critical_the_biggest_risers_and_fallers_with_their_main_reason()
    {
        var accumulator = new ReportAccumulator(new DateOnly(2024, 7, 5));
        accumulator.Add(Movements.Moved(Scores.Of("UP", 82, RiskLevels.Critical), 54, RiskLevels.Medium));
        accumulator.Add(Movements.Moved(Scores.Of("SLIGHT", 60, RiskLevels.High), 58, RiskLevels.High));
        accumulator.Add(Scores.Of("DOWN", 20, RiskLevels.Low) with
        {
            Movement = new ScoreMovement
            {
                PreviousScore = 70, PreviousLevel = RiskLevels.High, PreviousAsOf = DateTimeOffset.UnixEpoch, Delta = -50, Added = [], Changed = [],
                Removed = [new SignalMovement { Signal = "close_date_pushes", Reason = "Close date pushed 3 times", From = 3, PointsFrom = 15 }],
                Summary = "Down 50 to LOW: no longer close date pushed 3 times",
            },
        });
        accumulator.Add(Scores.Low("FIRST"));

        var movers = accumulator.Build(null).Movers;

        Assert.Equal(["UP"], movers.NewlyCritical.Select(m => m.Score.Deal.ExternalId));
        Assert.Equal(["UP", "SLIGHT"], movers.Risers.Select(m => m.Score.Deal.ExternalId));
        var faller = Assert.Single(movers.Fallers);
        Assert.Equal(("DOWN", -50, "no longer: Close date pushed 3 times"), (faller.Score.Deal.ExternalId, faller.Delta, faller.MainReason));
        Assert.Equal("No activity for 30 days (new)", movers.Risers[0].MainReason);
    }

    [Fact]
    public void The_executive_summary_shows_the_movers_with_hostile_CRM_text_escaped()
    {
        var accumulator = new ReportAccumulator(new DateOnly(2024, 7, 5));
        accumulator.Add(Movements.Moved(Scores.Of("UP", 82, RiskLevels.Critical, name: Movements.HostileText), 54, RiskLevels.Medium, crmValue: Movements.HostileText));
        var summary = accumulator.Build(null);

        var markdown = ExecutiveSummary.ToMarkdown(summary);
        var html = ExecutiveSummaryHtml.ToHtml(summary, ReportContext.None);

        Assert.Contains("## Movers", markdown);
        Assert.Contains("**Newly critical**", markdown);
        Assert.Contains("| +28 | MEDIUM → CRITICAL |", markdown);
        Assert.Contains("<h2>Movers</h2>", html);
        foreach (var text in new[] { markdown, html })
        {
            Assert.DoesNotContain("<img", text);
            Assert.DoesNotContain("<b>bold", text);
            Assert.Contains("&lt;img src=x", text);
        }
    }
}
