using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Tests;

public sealed class ReportAccumulatorTests
{
    private static readonly DateOnly AsOf = new(2024, 6, 30);

    [Fact]
    public void Deals_are_counted_by_level()
    {
        var summary = Build(
            Scores.Critical("C1"), Scores.Critical("C2"), Scores.High("H1"), Scores.Medium("M1"), Scores.Low("L1"), Scores.Low("L2"), Scores.Low("L3"));

        Assert.Equal(7, summary.OpenDeals);
        Assert.Equal(2, summary.DealsByLevel[RiskLevels.Critical]);
        Assert.Equal(1, summary.DealsByLevel[RiskLevels.High]);
        Assert.Equal(1, summary.DealsByLevel[RiskLevels.Medium]);
        Assert.Equal(3, summary.DealsByLevel[RiskLevels.Low]);
        Assert.Equal(3, summary.HighRiskDeals);
        Assert.Equal(2, summary.CriticalDeals);
    }

    [Fact]
    public void ACV_at_risk_counts_only_high_and_critical_deals()
    {
        var summary = Build(
            Scores.Critical("C1", amount: 45_000m),
            Scores.High("H1", amount: 28_000m),
            Scores.High("H2", amount: null),
            Scores.Medium("M1", amount: 900_000m),
            Scores.Low("L1", amount: 500_000m));

        Assert.Equal(73_000m, summary.AcvAtRisk);
        Assert.Equal(3, summary.HighRiskDeals);
    }

    [Fact]
    public void The_top_ten_are_the_highest_scores_with_ACV_breaking_ties()
    {
        var scores = new List<DealRiskScore>();
        for (var i = 0; i < 15; i++)
            scores.Add(Scores.Of($"S{i:00}", score: 50 + i, level: RiskLevels.High, amount: 1_000m * (15 - i)));
        scores.Add(Scores.Of("TIE-SMALL", score: 64, level: RiskLevels.High, amount: 500m));
        scores.Add(Scores.Of("TIE-BIG", score: 64, level: RiskLevels.High, amount: 99_000m));
        scores.Reverse();

        var summary = Build([.. scores]);

        Assert.Equal(
            ["TIE-BIG", "S14", "TIE-SMALL", "S13", "S12", "S11", "S10", "S09", "S08", "S07"],
            summary.TopDeals.Select(score => score.Deal.ExternalId));
    }

    [Fact]
    public void Fewer_deals_than_the_top_count_are_all_listed_in_order()
    {
        var summary = Build(Scores.Low("L1", score: 5), Scores.Critical("C1", score: 95), Scores.Medium("M1", score: 35));

        Assert.Equal(["C1", "M1", "L1"], summary.TopDeals.Select(score => score.Deal.ExternalId));
    }

    [Fact]
    public void Segment_and_rep_totals_sum_the_high_risk_deals_largest_ACV_first()
    {
        var summary = Build(
            Scores.Of("A", 90, RiskLevels.Critical, amount: 10_000m, industry: "FinTech", owner: "rep_1"),
            Scores.Of("B", 60, RiskLevels.High, amount: 30_000m, industry: "FinTech", owner: "rep_2"),
            Scores.Of("C", 70, RiskLevels.High, amount: 25_000m, industry: "SaaS", owner: "rep_1"),
            Scores.Of("D", 65, RiskLevels.High, amount: 5_000m, industry: null, owner: null),
            Scores.Of("E", 40, RiskLevels.Medium, amount: 1_000_000m, industry: "EdTech", owner: "rep_3"));

        Assert.Equal(
            [new RiskTotal("FinTech", 2, 40_000m), new RiskTotal("SaaS", 1, 25_000m), new RiskTotal("(none)", 1, 5_000m)],
            summary.BySegment);
        Assert.Equal(
            [new RiskTotal("rep_1", 2, 35_000m), new RiskTotal("rep_2", 1, 30_000m), new RiskTotal("(unassigned)", 1, 5_000m)],
            summary.ByRep);
    }

    [Fact]
    public void Critical_deals_to_alert_are_the_critical_ones_highest_first()
    {
        var summary = Build(Scores.High("H1", score: 74), Scores.Critical("C1", score: 80), Scores.Critical("C2", score: 99), Scores.Low("L1"));

        Assert.Equal(["C2", "C1"], summary.CriticalDealsToAlert.Select(score => score.Deal.ExternalId));
    }

    [Fact]
    public void Data_quality_flags_scorers_and_data_freshness_are_carried_into_the_summary()
    {
        var flagged = Scores.Low("L1") with { Deal = Scores.Low("L1").Deal with { DataQualityFlag = true } };
        var model = Scores.High("H1") with { Scorer = "model", ModelVersion = "v3" };
        var dataAsOf = new DateTimeOffset(2024, 6, 30, 5, 0, 0, TimeSpan.Zero);

        var summary = Build(dataAsOf, flagged, model, Scores.Medium("M1"));

        Assert.Equal(1, summary.DataQualityFlagged);
        Assert.Equal(["model v3", "rules"], summary.Scorers);
        Assert.Equal(dataAsOf, summary.DataAsOf);
        Assert.Equal(AsOf, summary.AsOf);
    }

    private static ReportSummary Build(params DealRiskScore[] scores) => Build(null, scores);

    private static ReportSummary Build(DateTimeOffset? dataAsOf, params DealRiskScore[] scores)
    {
        var accumulator = new ReportAccumulator(AsOf);
        foreach (var score in scores)
            accumulator.Add(score);
        return accumulator.Build(dataAsOf);
    }
}
