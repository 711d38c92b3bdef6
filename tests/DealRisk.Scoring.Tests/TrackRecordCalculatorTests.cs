using DealRisk.Contracts;
using DealRisk.Scoring.TrackRecord;

namespace DealRisk.Scoring.Tests;

public sealed class TrackRecordCalculatorTests
{
    private static readonly DateTimeOffset Close = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static ScoredInstant At(double daysBeforeClose, int score) =>
        new(Close.AddDays(-daysBeforeClose), score, score >= 75 ? RiskLevels.Critical : score >= 55 ? RiskLevels.High : score >= 30 ? RiskLevels.Medium : RiskLevels.Low);

    private static ClosedDealScores Deal(string id, bool lost, params ScoredInstant[] scores) =>
        new($"test:{id}", "Retail", "EMEA", lost, Close, scores);

    /// <summary>Six deals, eight scores: lost 30/60/80, 40, 90; won 70, 20, 65.</summary>
    private static readonly ClosedDealScores[] Hand =
    [
        Deal("A", lost: true, At(60, 30), At(30, 60), At(10, 80)),
        Deal("B", lost: true, At(20, 40)),
        Deal("F", lost: true, At(7.5, 90)),
        Deal("C", lost: false, At(15, 70)),
        Deal("D", lost: false, At(15, 20)),
        Deal("E", lost: false, At(15, 65)),
    ];

    [Fact]
    public void Roc_auc_is_the_share_of_lost_won_score_pairs_ranked_right_over_every_score_a_deal_had()
    {
        var figures = TrackRecordCalculator.Figures(Hand);

        // Lost 30, 60, 80, 40, 90 against won 70, 20, 65: 80 and 90 beat all three, 30, 40 and 60 only the 20: 9 of 15.
        Assert.Equal(0.6, figures.RocAuc!.Value, 10);
        Assert.Equal((6, 3, 8), (figures.Deals, figures.LostDeals, figures.Scores));
    }

    [Fact]
    public void Pr_auc_is_the_average_precision_at_each_lost_score_from_the_top()
    {
        var figures = TrackRecordCalculator.Figures(Hand);

        // Ranked 90L 80L 70W 65W 60L 40L 30L 20W: precision at each lost one 1/1, 2/2, 3/5, 4/6, 5/7.
        Assert.Equal((1 + 1 + 3 / 5.0 + 4 / 6.0 + 5 / 7.0) / 5, figures.PrAuc!.Value, 10);
    }

    [Fact]
    public void Calibration_bins_hold_the_mean_predicted_probability_and_the_observed_loss_rate_and_leave_empty_bins_out()
    {
        var bins = TrackRecordCalculator.Figures(Hand).Calibration;

        Assert.Equal([0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9], bins.Select(b => b.From).Select(v => Math.Round(v, 2)));
        var sixties = Assert.Single(bins, b => Math.Abs(b.From - 0.6) < 1e-9);
        Assert.Equal((2, 0.625, 0.5), (sixties.Count, Math.Round(sixties.MeanPredicted, 10), sixties.ObservedLossRate));
        Assert.Equal(0.0, Assert.Single(bins, b => Math.Abs(b.From - 0.2) < 1e-9).ObservedLossRate);

        var edges = TrackRecordCalculator.Calibration([1.0, 0.95, 0.05, 0.0], [true, false, false, false]);
        Assert.Equal([(0.0, 2), (0.9, 2)], edges.Select(b => (Math.Round(b.From, 2), b.Count)));
        Assert.Equal(0.5, edges[1].ObservedLossRate);
    }

    [Fact]
    public void High_precision_counts_deals_ever_flagged_high_or_critical_and_critical_precision_those_ever_critical()
    {
        var figures = TrackRecordCalculator.Figures(Hand);

        // HIGH or worse: A, F (lost), C, E (won). CRITICAL: A and F, both lost.
        Assert.Equal((4, 2, 0.5), (figures.High.Flagged, figures.High.FlaggedLost, figures.High.Precision));
        Assert.Equal((2, 2, 1.0), (figures.Critical.Flagged, figures.Critical.FlaggedLost, figures.Critical.Precision));
        var nothingFlagged = TrackRecordCalculator.Figures([Deal("L", lost: true, At(5, 10))]);
        Assert.Equal((0, null), (nothingFlagged.Critical.Flagged, nothingFlagged.Critical.Precision));
    }

    [Fact]
    public void Lead_time_is_the_whole_days_from_a_lost_deals_first_high_flag_to_its_close_never_a_flag_at_or_after_it()
    {
        ClosedDealScores[] deals =
        [
            .. Hand,
            Deal("G", lost: true, At(0, 95), At(-3, 99)),
            Deal("H", lost: true, At(45.9, 50), At(44.2, 56), At(2, 80)),
        ];

        var figures = TrackRecordCalculator.Figures(deals);

        // A first HIGH 30 days out; F 7.5 → 7; H 44.2 → 44; B never flagged; G only at and after its close; won deals have no lead time.
        Assert.Equal([7, 30, 44], Days(figures));
        Assert.Equal([1, 1, 1], figures.LeadTimes.Select(l => l.LostDeals));
    }

    [Fact]
    public void All_won_or_all_lost_has_no_ranking_to_judge()
    {
        var figures = TrackRecordCalculator.Figures([Deal("X", lost: true, At(5, 60)), Deal("Y", lost: true, At(5, 20))]);

        Assert.Null(figures.RocAuc);
        Assert.Null(figures.PrAuc);
        Assert.Equal(2, figures.Deals);
    }

    [Fact]
    public void A_segment_shows_only_with_at_least_the_minimum_of_closed_deals()
    {
        var deals = Enumerable.Range(0, 50).Select(i => new ClosedDealScores($"test:R-{i}", "Retail", "EMEA", i % 2 == 0, Close, [At(10, 40 + i)]))
            .Concat(Enumerable.Range(0, 49).Select(i => new ClosedDealScores($"test:E-{i}", "Energy", "EMEA", i % 3 == 0, Close, [At(10, 30 + i)])))
            .Concat([new ClosedDealScores("test:unscored", "Energy", "EMEA", true, Close, [])])
            .ToList();

        var evaluation = new TrackRecordCalculator(minimumSegmentDeals: 50).Evaluate("rules", null, ScorerEvaluation.Populations.Holdout, deals);

        Assert.Equal([("industry", "Retail", 50), ("region", "EMEA", 99)], evaluation.Segments.Select(s => (s.Dimension, s.Name, s.Figures.Deals)));
        Assert.Equal(99, evaluation.Figures.Deals);
        Assert.Equal(TrackRecordCalculator.Figures(deals.Take(50).ToList()), evaluation.Segments[0].Figures, new FiguresComparer());
    }

    /// <summary>Every lost deal's lead time, ascending, from the distribution's counts.</summary>
    internal static List<int> Days(TrackRecordFigures figures) => figures.LeadTimes.SelectMany(l => Enumerable.Repeat(l.Days, l.LostDeals)).ToList();

    private sealed class FiguresComparer : IEqualityComparer<TrackRecordFigures>
    {
        public bool Equals(TrackRecordFigures? x, TrackRecordFigures? y) =>
            x is not null && y is not null && (x.Deals, x.LostDeals, x.RocAuc, x.PrAuc, x.High, x.Critical) == (y.Deals, y.LostDeals, y.RocAuc, y.PrAuc, y.High, y.Critical)
            && x.LeadTimes.SequenceEqual(y.LeadTimes) && x.Calibration.SequenceEqual(y.Calibration);

        public int GetHashCode(TrackRecordFigures obj) => obj.Deals;
    }
}
