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
    public void Every_closed_deal_gives_examples_labelled_with_its_outcome_and_open_deals_give_none()
    {
        var closed = Deals.Value.Where(deal => deal.IsClosed).ToDictionary(deal => deal.ExternalId);
        var byDeal = Examples.Value.GroupBy(example => example.Vector.Deal.ExternalId).ToList();

        Assert.Equal(closed.Keys.Order(), byDeal.Select(group => group.Key).Order());
        Assert.All(byDeal, group => Assert.All(group, example => Assert.Equal(!closed[group.Key].IsWon, example.Lost)));
        Assert.All(byDeal, group => Assert.InRange(group.Count(), 1, TrainingSetBuilder.MaxSnapshotsPerDeal));
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
                Assert.True(Same(cut.Values[i], example.Vector.Values[i]), $"{deal.ExternalId} {FeatureNames.All[i]}: {cut.Values[i]} vs {example.Vector.Values[i]}");
        }
    }

    private static bool Same(double? expected, double? actual) =>
        expected is null ? actual is null : actual is not null && Math.Abs(expected.Value - actual.Value) < 1e-9;

    [Fact]
    public void Snapshots_follow_stage_entries_and_fixed_ages_never_offsets_from_the_close()
    {
        var deal = Closed("C-1", won: false, closedDay: 100);

        var instants = TrainingSetBuilder.SnapshotInstants(deal);

        Assert.Equal([Day(25), Day(30), Day(50), Day(60), Day(90)], instants);
    }

    [Fact]
    public void A_deal_closed_on_the_day_it_was_created_is_snapshotted_at_creation_only()
    {
        var deal = Closed("C-2", won: true, closedDay: 0.5) with
        {
            History = [Change(0, DealFields.Stage, null, DealStages.Lead), Change(0.5, DealFields.Stage, DealStages.Lead, DealStages.ClosedWon)],
        };

        Assert.Equal([Created], TrainingSetBuilder.SnapshotInstants(deal));
    }
}
