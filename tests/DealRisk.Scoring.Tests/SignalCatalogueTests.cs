using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Testing;

namespace DealRisk.Scoring.Tests;

public sealed class SignalCatalogueTests
{
    private static readonly DealProfile Deal = Vectors.Deal(DealStages.Demo) with { Industry = "FinTech", Region = null, LeadSource = "Partner", Product = "Core" };

    [Fact]
    public void Every_signal_has_a_unique_name_a_unit_a_description_and_a_default_action()
    {
        Assert.Equal(30, RiskSignals.Catalogue.Count);
        Assert.Equal(RiskSignals.Names.Count, RiskSignals.Names.Distinct().Count());
        Assert.All(RiskSignals.Catalogue, signal =>
        {
            Assert.Matches("^[a-z0-9_]+$", signal.Name);
            Assert.False(string.IsNullOrWhiteSpace(signal.Unit), signal.Name);
            Assert.False(string.IsNullOrWhiteSpace(signal.Description), signal.Name);
            Assert.False(string.IsNullOrWhiteSpace(signal.DefaultAction), signal.Name);
            Assert.Equal(signal, RiskSignals.Find(signal.Name));
        });
        Assert.Null(RiskSignals.Find("deal_temperature"));
        Assert.Equal(-1, RiskSignals.IndexOf("deal_temperature"));
    }

    [Theory]
    [InlineData("days_since_last_activity", 21, "No activity for 21 days")]
    [InlineData("days_since_last_activity", 6, null)]
    [InlineData("activities_last_14d", 1, "Only 1 activity in the last 14 days")]
    [InlineData("activities_last_30d", 0, "Only 0 activities in the last 30 days")]
    [InlineData("close_date_pushes", 1, "Close date pushed 1 time")]
    [InlineData("close_date_pushes", 4, "Close date pushed 4 times")]
    [InlineData("days_overdue", 0, null)]
    [InlineData("days_in_stage_ratio", 3.456, "3.46× the normal time in Demo")]
    [InlineData("days_in_stage", 20, "20 days in Demo")]
    [InlineData("cycle_vs_average", 1.5, "Open 1.5× as long as the average closed deal")]
    [InlineData("contact_count", 1, "Only 1 contact on the deal")]
    [InlineData("stage_regressions", 1, "Moved back a stage")]
    [InlineData("stage_regressions", 3, "Moved back a stage 3 times")]
    [InlineData("rep_win_rate_percentile", 0, "Rep in the bottom 1% by win rate")]
    [InlineData("rep_win_rate_lift", -0.123, "Rep win rate 12 points below the team's")]
    [InlineData("industry_win_rate_lift", -0.08, "FinTech wins 8 points less often than average")]
    [InlineData("region_win_rate_lift", -0.08, "Region wins 8 points less often than average")]
    [InlineData("lead_source_win_rate_lift", 0.02, null)]
    [InlineData("amount", 45_400, "ACV $45k")]
    [InlineData("stage_order", 2, "In Demo")]
    [InlineData("stage_normal_days", 40, null)]
    [InlineData("no_such_signal", 40, null)]
    public void Reasons_are_phrased_by_the_catalogue_and_only_for_values_worth_naming(string feature, double value, string? expected)
    {
        Assert.Equal(expected, ReasonPhrases.Describe(feature, value, Deal));
        Assert.Null(ReasonPhrases.Describe(feature, null, Deal));
    }

    [Fact]
    public void The_readme_signal_table_is_the_catalogue()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md")).ReplaceLineEndings("\n");

        Assert.True(readme.Contains(SignalTable.Markdown(), StringComparison.Ordinal),
            "README.md's signal table differs from the catalogue; replace it with the output of `dealrisk rules signals`:\n" + SignalTable.Markdown());
        Assert.All(RiskSignals.Names, name => Assert.Contains($"| `{name}` |", readme));
    }

    [Fact]
    public void Every_default_rule_names_a_catalogued_signal_and_every_rule_action_is_set()
    {
        var rules = RuleSet.Default();

        Assert.All(rules.Rules, rule => Assert.True(RiskSignals.IsKnown(rule.Feature), rule.Name));
        Assert.All(rules.Rules, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Action), rule.Name));
    }
}
