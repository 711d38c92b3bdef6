using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

public sealed class OutcomeStatisticsTests
{
    private static readonly Lazy<IReadOnlyList<DealSnapshot>> ClosedSample = new(() =>
        SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 5, DealCount = 1500, AsOf = new DateOnly(2025, 5, 31) })
            .Where(deal => deal.IsClosed)
            .ToArray());

    [Fact]
    public void Merging_the_parts_of_chunks_equals_computing_over_all_closed_deals_at_once()
    {
        var deals = ClosedSample.Value;
        var whole = OutcomeStatistics.FromClosedDeals(deals);
        var merged = OutcomeStatistics.Merge(deals.Chunk(137).Select(OutcomeStatistics.FromClosedDeals));

        Assert.True(whole.Total > 500);
        Assert.Equal(deals.Count, whole.Total);
        Assert.Equal(deals.Count(deal => deal.IsWon), whole.Won);
        Assert.Equal(whole.Won, merged.Won);
        Assert.Equal(whole.Total, merged.Total);
        Assert.Equal(whole.CycleDaysSum, merged.CycleDaysSum, 6);
        Assert.Equal(Tallies(whole), Tallies(merged));
        Assert.Equal(whole.Amounts, merged.Amounts);
        Assert.Equal(Durations(whole), Durations(merged));

        var wholeContext = new FeatureContext(whole);
        var mergedContext = new FeatureContext(merged);
        foreach (var stage in DealStages.OpenStages)
            Assert.Equal(wholeContext.MedianDaysInStage(stage), mergedContext.MedianDaysInStage(stage));
        Assert.NotNull(wholeContext.MedianDaysInStage(DealStages.Demo));
    }

    [Fact]
    public void Segment_tallies_count_wins_and_totals_per_rep_industry_region_lead_source_and_product()
    {
        var deals = ClosedSample.Value;
        var statistics = OutcomeStatistics.FromClosedDeals(deals);
        var rep = deals.First(deal => deal.Owner is not null).Owner!;

        var tally = Assert.Single(statistics.Segments, t => t.Dimension == OutcomeStatistics.Rep && t.Key == rep);

        Assert.Equal(deals.Count(deal => deal.Owner == rep), tally.Total);
        Assert.Equal(deals.Count(deal => deal.Owner == rep && deal.IsWon), tally.Won);
        Assert.Equal(
            [OutcomeStatistics.Industry, OutcomeStatistics.LeadSource, OutcomeStatistics.Product, OutcomeStatistics.Region, OutcomeStatistics.Rep],
            statistics.Segments.Select(t => t.Dimension).Distinct().Order());
        Assert.Equal(deals.Count(deal => deal.Industry is not null), statistics.Segments.Where(t => t.Dimension == OutcomeStatistics.Industry).Sum(t => t.Total));
    }

    [Fact]
    public void Open_deals_and_closed_deals_without_a_close_time_are_not_counted()
    {
        var closed = Closed("C-1", won: true, closedDay: 30, owner: "rep_a");
        var statistics = OutcomeStatistics.FromClosedDeals([closed, Open(), closed with { ExternalId = "C-2", ClosedAt = null }]);

        Assert.Equal((1, 1), (statistics.Won, statistics.Total));
        Assert.Equal(30, statistics.CycleDaysSum, 6);
    }

    [Fact]
    public void Time_in_stage_is_learned_from_won_deals_only()
    {
        var won = Enumerable.Range(0, 3).Select(i => Closed($"W-{i}", won: true, closedDay: 40));
        var lost = Enumerable.Range(0, 3).Select(i => Closed($"L-{i}", won: false, closedDay: 400));

        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals([.. won, .. lost]));

        Assert.Equal(10, context.MedianDaysInStage(DealStages.Lead));
        Assert.Equal(10, context.MedianDaysInStage(DealStages.Demo));
        Assert.Equal(20, context.MedianDaysInStage(DealStages.Negotiation));
        Assert.Null(context.MedianDaysInStage(DealStages.Proposal));
        Assert.Null(context.MedianDaysInStage(null));
    }

    [Fact]
    public void Merging_no_parts_gives_empty_statistics()
    {
        var statistics = OutcomeStatistics.Merge([]);
        var context = new FeatureContext(statistics);

        Assert.Equal((0, 0), (statistics.Won, statistics.Total));
        Assert.Empty(statistics.Segments);
        Assert.Null(context.OverallWinRate);
        Assert.Null(context.AverageCycleDays);
        Assert.Null(context.AmountPercentile(10_000m));
    }

    [Fact]
    public void A_win_rate_needs_at_least_five_closed_deals()
    {
        var four = Deals("rep_four", wins: 2, losses: 2);
        var five = Deals("rep_five", wins: 4, losses: 1);

        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals([.. four, .. five]));
        var tooFew = new FeatureContext(OutcomeStatistics.FromClosedDeals(four));

        Assert.Null(context.WinRate(OutcomeStatistics.Rep, "rep_four"));
        Assert.Equal(0.8, context.WinRate(OutcomeStatistics.Rep, "rep_five"));
        Assert.Null(context.WinRate(OutcomeStatistics.Rep, "rep_nobody"));
        Assert.Null(context.WinRate(OutcomeStatistics.Rep, null));
        Assert.Equal(6 / 9.0, context.OverallWinRate);
        Assert.Null(tooFew.OverallWinRate);
    }

    [Fact]
    public void The_worst_rep_is_at_percentile_zero_and_the_best_at_one()
    {
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(
        [
            .. Deals("rep_worst", wins: 1, losses: 9),
            .. Deals("rep_middle", wins: 5, losses: 5),
            .. Deals("rep_tied", wins: 5, losses: 5),
            .. Deals("rep_best", wins: 9, losses: 1),
            .. Deals("rep_new", wins: 0, losses: 3),
        ]));

        Assert.Equal(0, context.RepPercentile("rep_worst"));
        Assert.Equal(1 / 3.0, context.RepPercentile("rep_middle"));
        Assert.Equal(1 / 3.0, context.RepPercentile("rep_tied"));
        Assert.Equal(1, context.RepPercentile("rep_best"));
        Assert.Null(context.RepPercentile("rep_new"));
    }

    [Fact]
    public void A_rep_percentile_needs_at_least_two_rated_reps()
    {
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(Deals("rep_alone", wins: 3, losses: 3)));

        Assert.Equal(0.5, context.WinRate(OutcomeStatistics.Rep, "rep_alone"));
        Assert.Null(context.RepPercentile("rep_alone"));
    }

    [Fact]
    public void The_amount_percentile_is_the_share_of_closed_deals_with_a_smaller_amount()
    {
        var amounts = new decimal?[] { 10_000m, 20_000m, 20_000m, 40_000m, null };
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(
            amounts.Select((amount, i) => Closed($"A-{i}", won: i % 2 == 0, closedDay: 20, amount: amount))));

        Assert.Equal(0, context.AmountPercentile(5_000m));
        Assert.Equal(0, context.AmountPercentile(10_000m));
        Assert.Equal(0.25, context.AmountPercentile(15_000m));
        Assert.Equal(0.25, context.AmountPercentile(20_000m));
        Assert.Equal(0.75, context.AmountPercentile(30_000m));
        Assert.Equal(1, context.AmountPercentile(90_000m));
        Assert.Null(context.AmountPercentile(null));
    }

    [Fact]
    public void The_average_cycle_is_the_mean_time_from_creation_to_close()
    {
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(
            [Closed("C-1", won: true, closedDay: 20), Closed("C-2", won: false, closedDay: 40)]));

        Assert.Equal(30, context.AverageCycleDays!.Value, 6);
    }

    private static IEnumerable<DealSnapshot> Deals(string rep, int wins, int losses) =>
        Enumerable.Range(0, wins + losses).Select(i => Closed($"{rep}-{i}", won: i < wins, closedDay: 30, owner: rep));

    private static IEnumerable<string> Tallies(OutcomeStatistics statistics) =>
        statistics.Segments.Select(t => $"{t.Dimension}/{t.Key}: {t.Won}/{t.Total}").Order();

    private static IEnumerable<string> Durations(OutcomeStatistics statistics) =>
        statistics.WonStageDurations.Select(t => $"{t.Stage}: {string.Join(",", t.DayCounts)}").Order();

    [Fact]
    public async Task The_merged_statistics_of_a_million_and_a_half_closed_deals_with_distinct_amounts_fit_in_one_stored_document()
    {
        var random = new Random(3);
        var parts = Enumerable.Range(0, 300).Select(_ => OutcomeStatistics.Merge([])
            with
            {
                Total = 5000,
                Amounts = Enumerable.Range(0, 5000).Select(_ => new AmountTally { Amount = AmountTally.Round(random.NextDouble() * 2_000_000), Count = 1 }).ToList(),
            });

        var merged = OutcomeStatistics.Merge(parts);

        Assert.Equal(1_500_000, merged.Amounts.Sum(t => t.Count));
        var directory = Path.Combine(Path.GetTempPath(), "dealrisk-statistics-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new DealRisk.Storage.SqliteDocumentStore(Path.Combine(directory, "features.db"));
            await store.GetCollection<OutcomeStatistics>("batch-statistics").UpsertAsync("latest", merged);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_amount_ranks_among_closed_deals_as_it_did_with_every_amount_kept_to_within_a_tenth_of_a_percent()
    {
        var random = new Random(8);
        var amounts = Enumerable.Range(0, 20_000).Select(_ => Math.Round((decimal)(random.NextDouble() * random.NextDouble() * 400_000), 2)).ToList();
        var context = new FeatureContext(OutcomeStatistics.Merge(amounts.Chunk(1000).Select(chunk => OutcomeStatistics.Merge([]) with
        {
            Amounts = chunk.Select(a => new AmountTally { Amount = AmountTally.Round((double)a), Count = 1 }).ToList(),
        })));
        var sorted = amounts.Order().ToList();

        foreach (var probe in new[] { 1_000m, 12_345.67m, 50_000m, 123_456.78m, 399_999m })
        {
            var exact = (double)sorted.Count(a => a < probe) / sorted.Count;
            Assert.InRange(context.AmountPercentile(probe)!.Value, exact - 0.001, exact + 0.001);
        }
        Assert.Equal(0, context.AmountPercentile(0));
        Assert.Null(new FeatureContext(OutcomeStatistics.Empty).AmountPercentile(10m));
    }
}
