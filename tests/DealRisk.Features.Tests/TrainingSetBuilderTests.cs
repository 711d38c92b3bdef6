using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

public sealed class TrainingSetBuilderTests
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 5, DealCount = 500, AsOf = new DateOnly(2025, 3, 31) };
    private static readonly Lazy<DealSnapshot[]> Deals = new(() => SyntheticCrmGenerator.Generate(Sample).ToArray());
    private static readonly Lazy<IReadOnlyList<TrainingExample>> Examples = new(() => TrainingSetBuilder.Build(Deals.Value));

    [Fact]
    public void Every_closed_deal_open_at_a_month_end_gives_one_example_per_such_month_labelled_with_its_outcome()
    {
        var closed = Deals.Value.Where(deal => deal.IsClosed).ToDictionary(deal => deal.ExternalId);
        var byDeal = Examples.Value.GroupBy(example => example.Vector.Deal.ExternalId).ToDictionary(group => group.Key, group => group.ToList());

        Assert.NotEmpty(byDeal);
        Assert.All(byDeal.Keys, id => Assert.True(closed.ContainsKey(id), $"{id} is not a closed deal"));
        foreach (var deal in closed.Values)
        {
            var expected = TrainingSetBuilder.SnapshotInstants(deal);
            Assert.Equal(expected, byDeal.GetValueOrDefault(deal.ExternalId)?.Select(example => example.At) ?? []);
            Assert.All(byDeal.GetValueOrDefault(deal.ExternalId) ?? [], example => Assert.Equal(!deal.IsWon, example.Lost));
        }
        Assert.True(byDeal.Count > closed.Count / 2, $"only {byDeal.Count} of {closed.Count} closed deals were open at a month end");
    }

    [Fact]
    public void Every_example_is_taken_while_the_deal_was_open_and_sees_nothing_after_its_instant()
    {
        var closed = Deals.Value.Where(deal => deal.IsClosed).ToDictionary(deal => deal.ExternalId);

        foreach (var example in Examples.Value.Where((_, i) => i % 7 == 0))
        {
            var deal = closed[example.Vector.Deal.ExternalId];
            Assert.True(example.At < deal.ClosedAt, $"{deal.ExternalId} snapshot {example.At:O} not before close {deal.ClosedAt:O}");
            Assert.Contains(example.Vector.Deal.Stage, DealStages.OpenStages);

            var monthStart = new DateTimeOffset(example.At.Year, example.At.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(Deals.Value.Where(other => other.ClosedAt < monthStart)));
            var cut = DealFeaturizer.Featurize(PointInTime.Cut(deal, example.At), example.At, context);
            Assert.Equal(cut.Values.Count, example.Vector.Values.Count);
            for (var i = 0; i < cut.Values.Count; i++)
                Assert.True(Same(cut.Values[i], example.Vector.Values[i]), $"{deal.ExternalId} {RiskSignals.Names[i]}: {cut.Values[i]} vs {example.Vector.Values[i]}");
        }
    }

    private static bool Same(double? expected, double? actual) =>
        expected is null ? actual is null : actual is not null && Math.Abs(expected.Value - actual.Value) < 1e-9;

    [Fact]
    public void Snapshots_are_the_month_ends_at_which_the_deal_was_open_never_offsets_from_the_close()
    {
        var deal = Closed("C-1", won: false, closedDay: 100);

        var instants = TrainingSetBuilder.SnapshotInstants(deal);

        Assert.Equal([AsOfClock.EndOf(new DateOnly(2025, 1, 31)), AsOfClock.EndOf(new DateOnly(2025, 2, 28)), AsOfClock.EndOf(new DateOnly(2025, 3, 31))], instants);
    }

    [Fact]
    public void A_deal_that_closed_before_its_first_month_end_gives_no_example()
    {
        Assert.Empty(TrainingSetBuilder.SnapshotInstants(Closed("C-2", won: true, closedDay: 20)));
    }
}
