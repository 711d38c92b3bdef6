using DealRisk.Contracts;
using DealRisk.Scoring.Rules;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class RuleScorerTests
{
    private static readonly RuleScorer Scorer = new(RuleSet.Default());
    private static readonly IReadOnlyDictionary<string, int> Index = RuleScorer.FeatureIndex(Names);

    [Theory]
    [InlineData("deal_age_days", 70, 0)]
    [InlineData("deal_age_days", 70.5, 20)]
    [InlineData("deal_age_days", 90, 20)]
    [InlineData("deal_age_days", 91, 30)]
    [InlineData("cycle_vs_average", 1.0, 0)]
    [InlineData("cycle_vs_average", 1.01, 10)]
    [InlineData("rep_win_rate_percentile", 0.2, 0)]
    [InlineData("rep_win_rate_percentile", 0.19, 25)]
    [InlineData("rep_win_rate_percentile", 0, 25)]
    [InlineData("rep_win_rate_lift", -0.05, 0)]
    [InlineData("rep_win_rate_lift", -0.06, 15)]
    [InlineData("industry_win_rate_lift", -0.05, 0)]
    [InlineData("industry_win_rate_lift", -0.06, 15)]
    [InlineData("partner_lead", 0, 0)]
    [InlineData("partner_lead", 1, 15)]
    [InlineData("lead_source_win_rate_lift", -0.05, 0)]
    [InlineData("lead_source_win_rate_lift", -0.06, 15)]
    [InlineData("amount", 50_000, 0)]
    [InlineData("amount", 50_001, 5)]
    [InlineData("region_win_rate_lift", -0.05, 0)]
    [InlineData("region_win_rate_lift", -0.06, 5)]
    public void Each_original_rule_fires_past_its_threshold_and_not_at_or_below_it(string feature, double value, int expected)
    {
        Assert.Equal(expected, Scorer.Score(Vector((feature, value)), Index).Score);
    }

    [Theory]
    [InlineData(DealStages.Demo, 41, 10)]
    [InlineData(DealStages.Proposal, 41, 10)]
    [InlineData(DealStages.Demo, 40, 0)]
    [InlineData(DealStages.Qualified, 60, 0)]
    [InlineData(DealStages.Negotiation, 60, 0)]
    [InlineData(DealStages.Demo, 71, 30)]
    [InlineData(DealStages.Proposal, 95, 40)]
    public void The_demo_or_proposal_rule_fires_only_in_those_stages(string stage, double ageDays, int expected)
    {
        Assert.Equal(expected, Scorer.Score(Vector(Deal(stage), ("deal_age_days", ageDays)), Index).Score);
    }

    [Fact]
    public void Tiers_of_one_signal_do_not_add_up_and_the_heaviest_counts()
    {
        var cycle = Scorer.Score(Vector(("deal_age_days", 95), ("cycle_vs_average", 3)), Index);
        var rep = Scorer.Score(Vector(("rep_win_rate_percentile", 0.05), ("rep_win_rate_lift", -0.2)), Index);
        var leadSource = Scorer.Score(Vector(("partner_lead", 1), ("lead_source_win_rate_lift", -0.2)), Index);
        var silent = Scorer.Score(Vector(("days_since_last_activity", 45)), Index);

        Assert.Equal(30, cycle.Score);
        Assert.Equal(["Open 95 days (over 90)"], cycle.Reasons);
        Assert.Equal(25, rep.Score);
        Assert.Equal(15, leadSource.Score);
        Assert.Equal(30, silent.Score);
    }

    [Fact]
    public void Rules_of_different_signals_add_up()
    {
        var score = Scorer.Score(Vector(("deal_age_days", 75), ("rep_win_rate_lift", -0.1), ("amount", 80_000)), Index);

        Assert.Equal(20 + 15 + 5, score.Score);
        Assert.Equal(RiskLevels.Medium, score.Level);
    }

    [Fact]
    public void The_score_is_capped_at_100()
    {
        var score = Scorer.Score(Vector(
            Deal(DealStages.Demo),
            ("deal_age_days", 120), ("rep_win_rate_percentile", 0), ("industry_win_rate_lift", -0.1), ("partner_lead", 1),
            ("amount", 90_000), ("region_win_rate_lift", -0.1), ("days_since_last_activity", 40), ("close_date_pushes", 4)), Index);

        Assert.Equal(100, score.Score);
        Assert.Equal(RiskLevels.Critical, score.Level);
    }

    [Theory]
    [InlineData(100, RiskLevels.Critical)]
    [InlineData(75, RiskLevels.Critical)]
    [InlineData(74, RiskLevels.High)]
    [InlineData(55, RiskLevels.High)]
    [InlineData(54, RiskLevels.Medium)]
    [InlineData(30, RiskLevels.Medium)]
    [InlineData(29, RiskLevels.Low)]
    [InlineData(0, RiskLevels.Low)]
    public void Levels_start_at_75_55_and_30(int score, string level)
    {
        Assert.Equal(level, Scorer.LevelOf(score));
    }

    [Fact]
    public void Scored_deals_reach_each_level_through_their_rules()
    {
        Assert.Equal((75, RiskLevels.Critical), Level(("deal_age_days", 91), ("rep_win_rate_percentile", 0.1), ("industry_win_rate_lift", -0.1), ("amount", 60_000)));
        Assert.Equal((70, RiskLevels.High), Level(("deal_age_days", 91), ("rep_win_rate_percentile", 0.1), ("industry_win_rate_lift", -0.1)));
        Assert.Equal((55, RiskLevels.High), Level(("deal_age_days", 91), ("rep_win_rate_percentile", 0.1)));
        Assert.Equal((30, RiskLevels.Medium), Level(("deal_age_days", 91)));
        Assert.Equal((25, RiskLevels.Low), Level(("rep_win_rate_percentile", 0.1)));
    }

    [Fact]
    public void At_most_three_reasons_are_given_heaviest_first_with_values_and_stage_filled_in()
    {
        var score = Scorer.Score(Vector(
            Deal(DealStages.Proposal),
            ("deal_age_days", 95), ("amount", 60_000), ("rep_win_rate_percentile", 0.1), ("days_in_stage_ratio", 3.5)), Index);

        Assert.Equal(30 + 25 + 15 + 10 + 5, score.Score);
        Assert.Equal(
            ["Open 95 days (over 90)", "Rep bottom 20% win rate", "Stalled: 3.5× the normal time in Proposal"],
            score.Reasons);
    }

    [Fact]
    public void Segment_lifts_a_few_points_below_average_are_noise_and_fire_nothing()
    {
        var score = Scorer.Score(Vector(("rep_win_rate_lift", -0.02), ("industry_win_rate_lift", -0.03), ("region_win_rate_lift", -0.01), ("lead_source_win_rate_lift", -0.04)), Index);

        Assert.Equal(0, score.Score);
    }

    [Theory]
    [InlineData(1.04, "Open 1.04× as long as the average closed deal")]
    [InlineData(1.5, "Open 1.5× as long as the average closed deal")]
    [InlineData(2, "Open 2× as long as the average closed deal")]
    public void Ratios_in_reasons_keep_two_decimals(double ratio, string expected)
    {
        var score = Scorer.Score(Vector(("cycle_vs_average", ratio)), Index);

        Assert.Equal([expected], score.Reasons);
    }

    [Fact]
    public void The_stage_reason_names_the_stage_the_deal_is_in()
    {
        var score = Scorer.Score(Vector(Deal(DealStages.Demo), ("deal_age_days", 45)), Index);

        Assert.Equal(["Demo stage 45+ days into the cycle"], score.Reasons);
    }

    [Fact]
    public void The_action_comes_from_the_heaviest_rule_that_fired()
    {
        var partnerOnly = Scorer.Score(Vector(("partner_lead", 1)), Index);
        var partnerAndWeakRep = Scorer.Score(Vector(("partner_lead", 1), ("rep_win_rate_percentile", 0.1)), Index);
        var slowAndPartner = Scorer.Score(Vector(("partner_lead", 1), ("deal_age_days", 91)), Index);
        var nothing = Scorer.Score(Vector(("deal_age_days", 10)), Index);

        Assert.Equal("Verify buyer authority + SE review", partnerOnly.Action);
        Assert.Equal("Manager deal review", partnerAndWeakRep.Action);
        Assert.Equal("Executive sponsor call TODAY", slowAndPartner.Action);
        Assert.Equal(RuleSet.Default().DefaultAction, nothing.Action);
        Assert.Empty(nothing.Reasons);
    }

    [Fact]
    public void A_deal_with_missing_features_is_still_scored_and_its_data_quality_reason_lists_what_is_missing()
    {
        var deal = Deal() with { Amount = null, DataQualityFlag = true, MissingFields = ["amount", "owner", "industry", "contactCount"] };

        var score = Scorer.Score(Vector(deal, ("deal_age_days", 91), ("amount", null), ("rep_win_rate_percentile", null)), Index);

        Assert.Equal(30, score.Score);
        Assert.Equal(RiskLevels.Medium, score.Level);
        Assert.Equal(["Open 91 days (over 90)", "Data incomplete: missing amount, owner, industry, contactCount"], score.Reasons);
    }

    [Fact]
    public void A_deal_with_no_features_at_all_scores_zero_instead_of_failing()
    {
        var score = Scorer.Score(Vector(), Index);

        Assert.Equal((0, RiskLevels.Low), (score.Score, score.Level));
        Assert.Equal(RuleScorer.ScorerName, score.Scorer);
    }

    [Fact]
    public void A_rule_on_a_feature_the_message_does_not_carry_does_not_fire()
    {
        var names = new[] { "amount" };
        var computed = new FeaturesComputed
        {
            CorrelationId = Guid.NewGuid(),
            AsOf = DateTimeOffset.UnixEpoch,
            FeatureNames = names,
            Deals = [new DealFeatureVector { Deal = Deal(), Values = [60_000] }],
        };

        var score = Assert.Single(Scorer.Score(computed));

        Assert.Equal(5, score.Score);
        Assert.Equal(["ACV above $50k"], score.Reasons);
    }

    [Theory]
    [InlineData("FinTech", true)]
    [InlineData("fintech", true)]
    [InlineData("SaaS", false)]
    [InlineData(null, false)]
    public void A_rule_limited_to_a_segment_fires_only_there(string? industry, bool fires)
    {
        var scorer = new RuleScorer(RuleSet.Default() with
        {
            Rules = [Rule("fintech-large", "amount", above: 50_000, points: 20) with { Industries = ["FinTech"] }],
        });

        var score = scorer.Score(Vector(Deal() with { Industry = industry }, ("amount", 60_000)), Index);

        Assert.Equal(fires ? 20 : 0, score.Score);
    }

    [Fact]
    public void Rules_can_be_limited_by_region_lead_source_product_and_stage_together()
    {
        var scorer = new RuleScorer(RuleSet.Default() with
        {
            Rules =
            [
                Rule("narrow", "days_in_stage", above: 20, points: 40) with
                {
                    Stages = [DealStages.Negotiation], Regions = ["Europe"], LeadSources = ["Inbound"], Products = ["Enterprise"],
                },
            ],
        });
        var matching = Deal(DealStages.Negotiation) with { Region = "Europe", LeadSource = "Inbound", Product = "Enterprise" };

        Assert.Equal(40, scorer.Score(Vector(matching, ("days_in_stage", 30)), Index).Score);
        Assert.Equal(0, scorer.Score(Vector(matching with { Stage = DealStages.Proposal }, ("days_in_stage", 30)), Index).Score);
        Assert.Equal(0, scorer.Score(Vector(matching with { Region = "APAC" }, ("days_in_stage", 30)), Index).Score);
        Assert.Equal(0, scorer.Score(Vector(matching with { LeadSource = "Partner" }, ("days_in_stage", 30)), Index).Score);
        Assert.Equal(0, scorer.Score(Vector(matching with { Product = "Core" }, ("days_in_stage", 30)), Index).Score);
    }

    [Fact]
    public void Thresholds_can_differ_per_stage_with_one_rule_for_each()
    {
        var scorer = new RuleScorer(RuleSet.Default() with
        {
            Rules =
            [
                Rule("slow-demo", "days_in_stage", above: 20, points: 15) with { Group = "slow", Stages = [DealStages.Demo] },
                Rule("slow-negotiation", "days_in_stage", above: 45, points: 15) with { Group = "slow", Stages = [DealStages.Negotiation] },
            ],
        });

        Assert.Equal(15, scorer.Score(Vector(Deal(DealStages.Demo), ("days_in_stage", 30)), Index).Score);
        Assert.Equal(0, scorer.Score(Vector(Deal(DealStages.Negotiation), ("days_in_stage", 30)), Index).Score);
        Assert.Equal(15, scorer.Score(Vector(Deal(DealStages.Negotiation), ("days_in_stage", 50)), Index).Score);
    }

    [Fact]
    public void Scoring_a_message_gives_one_score_per_deal_in_order()
    {
        var computed = Computed(
            Vector(Deal(id: "A"), ("deal_age_days", 91)),
            Vector(Deal(id: "B"), ("deal_age_days", 10)),
            Vector(Deal(id: "C"), ("amount", 70_000)));

        var scores = Scorer.Score(computed);

        Assert.Equal(["A", "B", "C"], scores.Select(score => score.Deal.ExternalId));
        Assert.Equal([30, 0, 5], scores.Select(score => score.Score));
        Assert.NotEmpty(scores);
        Assert.All(scores, score => Assert.Equal(RuleScorer.ScorerName, score.Scorer));
    }

    private static (int, string) Level(params (string Name, double? Value)[] values)
    {
        var score = Scorer.Score(Vector(values), Index);
        return (score.Score, score.Level);
    }

    private static RiskRule Rule(string name, string feature, double above, int points) => new()
    {
        Name = name,
        Feature = feature,
        Above = above,
        Points = points,
        Reason = name,
        Action = name,
    };
}
