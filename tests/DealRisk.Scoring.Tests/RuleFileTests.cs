using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Tests;

public sealed class RuleFileTests
{
    [Fact]
    public void Every_problem_in_a_rule_file_is_listed_at_once()
    {
        var problems = RuleFile.Problems("""
            {
              "levels": { "critical": 75, "high": 55, "medium": 30, "severe": 90 },
              "defaultActon": "typo",
              "rules": [
                { "name": "silent", "feature": "days_since_last_activty", "above": 14, "points": 20, "reason": "Quiet" },
                { "name": "no-threshold", "feature": "amount", "points": 5, "reason": "Big" },
                { "name": "won-stage", "feature": "amount", "above": 1, "points": 5, "reason": "r", "stages": ["ClosedWon", "Demo"] },
                { "name": "segment-typo", "feature": "amount", "above": 1, "points": 5, "reason": "r", "industry": ["FinTech"] },
                { "name": "misspelt-threshold", "feature": "amont", "abvoe": 1, "points": 5, "reason": "r" },
                { "name": "empty-segment", "feature": "amount", "above": 1, "points": 5, "reason": "r", "regions": [" "] },
                { "name": "no-points", "feature": "amount", "above": 1, "reason": "r" },
                { "name": "silent", "feature": "amount", "atLeast": "ten", "points": 5, "reason": "r" }
              ]
            }
            """);

        Assert.Equal(
        [
            "Unknown setting 'defaultActon' (the file holds levels, defaultAction, rules).",
            "Unknown level 'severe' (levels are critical, high, medium).",
            "Rule 'silent' uses unknown feature 'days_since_last_activty' (did you mean 'days_since_last_activity'?).",
            "Rule 'no-threshold' needs exactly one of above, atLeast, below.",
            "Rule 'won-stage' names stage 'ClosedWon', which no open deal is in (stages are Lead, Qualified, Demo, Proposal, Negotiation).",
            "Rule 'segment-typo' has unknown setting 'industry' (a rule has name, feature, above, atLeast, below, points, group, reason, action, stages, industries, regions, leadSources, products).",
            "Rule 'misspelt-threshold' has unknown setting 'abvoe' (a rule has name, feature, above, atLeast, below, points, group, reason, action, stages, industries, regions, leadSources, products).",
            "Rule 'misspelt-threshold' uses unknown feature 'amont' (did you mean 'amount'?).",
            "Rule 'misspelt-threshold' needs exactly one of above, atLeast, below.",
            "Rule 'empty-segment': 'regions' holds an empty value, which no deal can match.",
            "Rule 'no-points' has no points.",
            "Rule 'silent' is defined twice.",
            "Rule 'silent': 'atLeast' must be a number.",
        ], problems);
    }

    [Fact]
    public void Level_thresholds_out_of_order_are_a_problem_of_the_file()
    {
        var problems = RuleFile.Problems("""{ "levels": { "critical": 40, "high": 50 }, "rules": [ { "name": "big", "feature": "amount", "above": 1, "points": 5, "reason": "r" } ] }""");

        Assert.Equal(["Level thresholds must satisfy critical > high > medium > 0 (got 40, 50, 30)."], problems);
    }

    [Theory]
    [InlineData("{ \"rules\": [ ", "The file is not valid JSON")]
    [InlineData("[]", "The file must hold one JSON object")]
    [InlineData("{ \"rules\": [] }", "The file has no rules")]
    [InlineData("{ \"levels\": 5, \"rules\": [ { \"name\": \"a\", \"feature\": \"amount\", \"above\": 1, \"points\": 5, \"reason\": \"r\" } ] }", "'levels' must be an object")]
    [InlineData("{ \"rules\": [ 7 ] }", "Rule #1 must be an object.")]
    [InlineData("{ \"rules\": [ { \"feature\": \"amount\", \"above\": 1, \"points\": 5, \"reason\": \"r\" } ] }", "Rule #1 has no name.")]
    [InlineData("{ \"rules\": [ { \"name\": \"a\", \"feature\": \"amount\", \"above\": 1, \"points\": 2.5, \"reason\": \"r\" } ] }", "Rule 'a': 'points' must be a whole number.")]
    public void A_malformed_file_gets_a_problem_that_says_what_is_wrong(string json, string expected)
    {
        Assert.StartsWith(expected, Assert.Single(RuleFile.Problems(json)));
    }

    [Fact]
    public void Loading_an_invalid_file_throws_with_every_problem_on_its_own_line()
    {
        var exception = Assert.Throws<InvalidRuleFileException>(() => RuleFile.Load("""
            { "rules": [ { "name": "a", "feature": "nope", "above": 1, "points": 5, "reason": "r" }, { "name": "b", "feature": "amount", "points": 5, "reason": "r" } ] }
            """));

        Assert.Equal(2, exception.Problems.Count);
        Assert.Contains($"{Environment.NewLine}  - Rule 'a' uses unknown feature 'nope'", exception.Message);
        Assert.Contains($"{Environment.NewLine}  - Rule 'b' needs exactly one of above, atLeast, below.", exception.Message);
    }

    [Fact]
    public void A_rule_without_an_action_takes_its_signals_default_action()
    {
        var rules = RuleFile.Load("""{ "rules": [ { "name": "quiet", "feature": "activities_last_14d", "below": 1, "points": 20, "reason": "Quiet" } ] }""");

        Assert.Equal(RiskSignals.Find(RiskSignals.ActivitiesLast14Days)!.DefaultAction, Assert.Single(rules.Rules).Action);
    }

    [Fact]
    public void The_rule_scorer_refuses_a_rule_on_a_feature_it_does_not_know_instead_of_never_firing_it()
    {
        var rules = RuleSet.Default() with
        {
            Rules = [new RiskRule { Name = "typo", Feature = "amout", Above = 1, Points = 5, Reason = "r", Action = "a" }],
        };

        var exception = Assert.Throws<InvalidRuleFileException>(() => new RuleScorer(rules));

        Assert.Equal(["Rule 'typo' uses unknown feature 'amout' (did you mean 'amount'?)."], exception.Problems);
    }
}
