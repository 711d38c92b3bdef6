using Microsoft.Extensions.Options;
using DealRisk.Scoring.Rules;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.Scoring.Tests;

public sealed class RuleSetTests
{
    /// <summary>domain.md's original rule set: feature, comparator, threshold, points, tier group, stages.</summary>
    private static readonly string[] OriginalRules =
    [
        "cycle-over-90-days: deal_age_days > 90 → 30 [cycle]",
        "cycle-over-70-days: deal_age_days > 70 → 20 [cycle]",
        "cycle-above-average: cycle_vs_average > 1 → 10 [cycle]",
        "rep-bottom-20-percent: rep_win_rate_percentile < 0.2 → 25 [rep]",
        "rep-below-team: rep_win_rate_lift < -0.05 → 15 [rep]",
        "industry-low-win-rate: industry_win_rate_lift < -0.05 → 15 [industry]",
        "partner-lead: partner_lead >= 1 → 15 [lead-source]",
        "low-converting-source: lead_source_win_rate_lift < -0.05 → 15 [lead-source]",
        "demo-or-proposal-slow: deal_age_days > 40 → 10 [stage-cycle] in Demo,Proposal",
        "large-deal: amount > 50000 → 5 [amount]",
        "region-low-win-rate: region_win_rate_lift < -0.05 → 5 [region]",
    ];

    /// <summary>The signals the leading products use, added on top.</summary>
    private static readonly string[] AddedSignals =
    [
        "silent-30-days: days_since_last_activity > 30 → 30 [activity]",
        "silent-14-days: days_since_last_activity > 14 → 20 [activity]",
        "close-date-pushed: close_date_pushes >= 3 → 15 [timing]",
        "close-date-overdue: days_overdue > 0 → 10 [overdue]",
        "stalled-in-stage: days_in_stage_ratio > 3 → 15 [stalled]",
        "single-threaded: single_threaded >= 1 → 10 [contacts]",
        "stage-regressed: stage_regressions >= 1 → 10 [regression]",
        "next-step-missing: next_step_missing >= 1 → 5 [next-step]",
    ];

    [Fact]
    public void The_default_rules_are_the_original_rule_set_plus_the_added_signals()
    {
        var rules = RuleSet.Default();

        Assert.Equal([.. OriginalRules, .. AddedSignals], rules.Rules.Select(Describe));
        Assert.Equal((75, 55, 30), (rules.Levels.Critical, rules.Levels.High, rules.Levels.Medium));
        Assert.Equal(rules.Rules.Count, rules.Rules.Select(rule => rule.Name).Distinct().Count());
        Assert.All(rules.Rules, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Reason) || string.IsNullOrWhiteSpace(rule.Action), rule.Name));
        Assert.Empty(rules.Problems());
    }

    [Fact]
    public void The_default_actions_follow_the_original_design()
    {
        var actions = RuleSet.Default().Rules.ToDictionary(rule => rule.Name, rule => rule.Action);

        Assert.Contains("Executive sponsor", actions["cycle-over-90-days"]);
        Assert.Contains("Executive sponsor", actions["demo-or-proposal-slow"]);
        Assert.Equal("Verify buyer authority + SE review", actions["partner-lead"]);
        Assert.Equal("Manager deal review", actions["rep-bottom-20-percent"]);
        Assert.Equal("Manager deal review", actions["rep-below-team"]);
    }

    [Theory]
    [InlineData(50, 55, 30)]
    [InlineData(75, 75, 30)]
    [InlineData(75, 30, 55)]
    [InlineData(75, 55, 0)]
    public void Level_thresholds_out_of_order_are_refused_with_a_message(int critical, int high, int medium)
    {
        var rules = RuleSet.Default() with { Levels = new RiskLevelThresholds { Critical = critical, High = high, Medium = medium } };

        var problem = Assert.Single(rules.Problems());

        Assert.Contains("critical > high > medium > 0", problem);
        Assert.Contains($"got {critical}, {high}, {medium}", problem);
    }

    [Fact]
    public void A_rule_with_two_comparators_is_refused_with_a_message()
    {
        var rules = RuleSet.Parse("""
            { "rules": [ { "name": "both-ways", "feature": "amount", "above": 10, "below": 5, "points": 5, "reason": "r", "action": "a" } ] }
            """);

        Assert.Equal(["Rule 'both-ways' needs exactly one of above, atLeast, below."], rules.Problems());
    }

    [Fact]
    public void A_rule_without_a_comparator_such_as_a_misspelt_one_is_refused()
    {
        var rules = RuleSet.Parse("""
            { "rules": [ { "name": "typo", "feature": "amount", "abvoe": 10, "points": 5, "reason": "r", "action": "a" } ] }
            """);

        Assert.Equal(["Rule 'typo' needs exactly one of above, atLeast, below."], rules.Problems());
    }

    [Fact]
    public void A_rule_on_an_unknown_feature_is_refused_with_a_message()
    {
        var rules = RuleSet.Parse("""
            { "rules": [ { "name": "nope", "feature": "deal_temperature", "above": 10, "points": 5, "reason": "r", "action": "a" } ] }
            """);

        Assert.Equal(["Rule 'nope' uses unknown feature 'deal_temperature' (see the signal table in the README)."], rules.Problems());
    }

    [Fact]
    public void A_rule_missing_a_required_field_does_not_parse()
    {
        var exception = Assert.ThrowsAny<System.Text.Json.JsonException>(() => RuleSet.Parse("""
            { "rules": [ { "name": "no-points", "feature": "amount", "above": 10, "reason": "r", "action": "a" } ] }
            """));

        Assert.Contains("points", exception.Message);
    }

    [Fact]
    public async Task The_scoring_service_refuses_to_start_with_an_invalid_rule_file_and_says_why()
    {
        using var file = new TempRuleFile("""
            {
              "levels": { "critical": 40, "high": 50, "medium": 30 },
              "rules": [
                { "name": "both-ways", "feature": "amount", "above": 10, "below": 5, "points": 5, "reason": "r", "action": "a" },
                { "name": "typo", "feature": "amout", "above": 10, "points": 5, "reason": "r", "action": "a" }
              ]
            }
            """);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Scoring:RulesFile"] = file.Path });
        builder.AddScoringService();
        builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddScoringConsumers());
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("The scoring rules are invalid", exception.Message);
        Assert.Contains("critical > high > medium", exception.Message);
        Assert.Contains("Rule 'both-ways' needs exactly one of above, atLeast, below.", exception.Message);
        Assert.Contains("Rule 'typo' uses unknown feature 'amout' (did you mean 'amount'?).", exception.Message);
    }

    [Fact]
    public void A_rule_file_named_in_the_configuration_replaces_the_default_rules()
    {
        using var file = new TempRuleFile("""
            {
              // Only one rule: the defaults must be gone.
              "levels": { "critical": 80, "high": 60, "medium": 20 },
              "defaultAction": "Carry on",
              "rules": [ { "name": "tiny-deal", "feature": "amount", "below": 1000, "points": 25, "reason": "Tiny: {value}", "action": "Upsell" } ]
            }
            """);
        using var services = ScoringServices(file.Path);

        var scorer = services.GetRequiredService<RuleScorer>();
        var index = RuleScorer.FeatureIndex(Vectors.Names);
        var tiny = scorer.Score(Vectors.Vector(("amount", 500), ("deal_age_days", 400)), index);
        var old = scorer.Score(Vectors.Vector(("amount", 60_000), ("deal_age_days", 400)), index);

        Assert.Equal("tiny-deal", Assert.Single(scorer.Rules.Rules).Name);
        Assert.Equal((25, "MEDIUM", "Upsell"), (tiny.Score, tiny.Level, tiny.Action));
        Assert.Equal(["Tiny: 500"], tiny.Reasons);
        Assert.Equal((0, "LOW", "Carry on"), (old.Score, old.Level, old.Action));
    }

    [Fact]
    public void Without_a_rule_file_the_scoring_service_uses_the_default_rules()
    {
        using var services = ScoringServices(rulesFile: null);

        Assert.Equal(RuleSet.Default().Rules.Select(Describe), services.GetRequiredService<RuleScorer>().Rules.Rules.Select(Describe));
    }

    private static ServiceProvider ScoringServices(string? rulesFile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Scoring:RulesFile"] = rulesFile });
        builder.AddScoringService();
        return builder.Services.BuildServiceProvider();
    }

    private static string Describe(RiskRule rule)
    {
        var (comparator, threshold) = rule switch
        {
            { Above: { } above } => (">", above),
            { AtLeast: { } atLeast } => (">=", atLeast),
            { Below: { } below } => ("<", below),
            _ => ("?", double.NaN),
        };
        var stages = rule.Stages is { Count: > 0 } ? $" in {string.Join(",", rule.Stages)}" : "";
        return $"{rule.Name}: {rule.Feature} {comparator} {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} → {rule.Points} [{rule.Group}]{stages}";
    }

    private sealed class TempRuleFile : IDisposable
    {
        public TempRuleFile(string json)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dealrisk-rules-{Guid.NewGuid():N}.json");
            File.WriteAllText(Path, json);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
