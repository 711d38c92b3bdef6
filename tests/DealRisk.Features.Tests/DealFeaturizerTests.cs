using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

public sealed class DealFeaturizerTests
{
    private static readonly FeatureContext NoHistory = new(OutcomeStatistics.Empty);

    private static readonly SyntheticCrmOptions Sample = new() { Seed = 3, DealCount = 1200, AsOf = new DateOnly(2025, 4, 30) };

    [Fact]
    public void The_vector_has_one_value_per_feature_name_in_the_order_of_the_names()
    {
        var deal = Open() with { Amount = 42_000m, ContactCount = 4, Stage = DealStages.Demo };
        deal = deal with { History = [.. deal.History, Change(2, DealFields.Stage, DealStages.Lead, DealStages.Demo)] };

        var vector = DealFeaturizer.Featurize(deal, Day(9.5), NoHistory);

        Assert.Equal(RiskSignals.Names.Count, vector.Values.Count);
        Assert.Equal(RiskSignals.Names.Count, RiskSignals.Names.Distinct().Count());
        Assert.All(RiskSignals.Names, name => Assert.Equal(name, RiskSignals.Names[RiskSignals.IndexOf(name)]));
        Assert.Equal(-1, RiskSignals.IndexOf("no_such_feature"));
        Assert.Equal(42_000, Value(vector, RiskSignals.Amount));
        Assert.Equal(4, Value(vector, RiskSignals.ContactCount));
        Assert.Equal(9, Value(vector, RiskSignals.DealAgeDays));
        Assert.Equal(7, Value(vector, RiskSignals.DaysInStage));
        Assert.Equal(DealStages.Order(DealStages.Demo), Value(vector, RiskSignals.StageOrder));
    }

    [Fact]
    public void Every_catalogued_signal_is_computed_and_varies_across_a_sample_of_open_deals()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToArray();
        var instant = Sample.ExportTime.AddDays(-120);
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(deals.Where(deal => deal.ClosedAt <= instant)));
        var vectors = deals.Where(deal => deal.CreatedAt <= instant && !(deal.ClosedAt <= instant))
            .Select(deal => DealFeaturizer.Featurize(deal, instant, context))
            .ToList();

        Assert.All(RiskSignals.Names, name =>
        {
            var values = vectors.Select(vector => vector.Values[RiskSignals.IndexOf(name)]).OfType<double>().Distinct().Count();
            Assert.True(values >= 2, $"{name} takes {values} distinct values over {vectors.Count} open deals: is it computed?");
        });
    }

    [Fact]
    public void The_profile_describes_the_deal_as_it_was_at_the_instant()
    {
        var deal = Closed("W-9", won: true, closedDay: 40, owner: "rep_b", amount: 60_000m) with { Version = 7, Name = "Acme renewal" };
        deal = deal with
        {
            History = [.. deal.History, Change(15, DealFields.Owner, "rep_a", "rep_b"), Change(16, DealFields.Amount, "45000", "60000")],
        };
        deal = deal with { History = deal.History.OrderBy(change => change.At).ToArray() };

        var profile = DealFeaturizer.Featurize(deal, Day(12), NoHistory).Deal;

        Assert.Equal(("test", "W-9", 7L, "Acme renewal"), (profile.Source, profile.ExternalId, profile.Version, profile.Name));
        Assert.Equal(DealStages.Demo, profile.Stage);
        Assert.Equal(2, profile.DaysInStage);
        Assert.Equal("rep_a", profile.Owner);
        Assert.Equal(45_000m, profile.Amount);
    }

    [Fact]
    public void Win_rates_come_only_from_the_statistics_passed_in_not_from_the_deal_being_featurized()
    {
        var instant = Day(100);
        var history = new List<DealSnapshot>();
        for (var i = 0; i < 10; i++)
            history.Add(Closed($"H-{i}", won: i < 3, closedDay: 50 + i, owner: "rep_a", industry: "FinTech"));
        for (var i = 0; i < 10; i++)
            history.Add(Closed($"G-{i}", won: i < 7, closedDay: 50 + i, owner: "rep_b", industry: "SaaS"));
        var later = Closed("LATER", won: true, closedDay: 130, owner: "rep_a", industry: "FinTech");
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(history.Where(deal => deal.ClosedAt <= instant)));
        var leaky = new FeatureContext(OutcomeStatistics.FromClosedDeals([.. history, later]));

        var vector = DealFeaturizer.Featurize(later, instant, context);
        var asIfLost = DealFeaturizer.Featurize(Flip(later), instant, context);

        Assert.Equal(0.3, Value(vector, RiskSignals.RepWinRate)!.Value, 9);
        Assert.Equal(0.3 - 0.5, Value(vector, RiskSignals.RepWinRateLift)!.Value, 9);
        Assert.Equal(0.3 - 0.5, Value(vector, RiskSignals.IndustryWinRateLift)!.Value, 9);
        Assert.Equal(0, Value(vector, RiskSignals.RepWinRatePercentile));
        Assert.NotEqual(leaky.WinRate(OutcomeStatistics.Rep, "rep_a"), Value(vector, RiskSignals.RepWinRate));
        Assert.Equal(vector.Values, asIfLost.Values);
    }

    [Fact]
    public void Deals_that_closed_after_the_instant_featurize_the_same_whatever_their_outcome()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToArray();
        var instant = Sample.ExportTime.AddDays(-120);
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(deals.Where(deal => deal.ClosedAt <= instant)));
        var closedLater = deals.Where(deal => deal.CreatedAt <= instant && deal.ClosedAt > instant).ToArray();

        Assert.True(closedLater.Length > 50, $"only {closedLater.Length} deals open at the instant and closed later");
        Assert.NotNull(context.OverallWinRate);
        foreach (var deal in closedLater)
        {
            var vector = DealFeaturizer.Featurize(deal, instant, context);
            Assert.Equal(vector.Values, DealFeaturizer.Featurize(Flip(deal), instant, context).Values);
            Assert.False(DealStages.IsClosed(vector.Deal.Stage), deal.ExternalId);
        }
    }

    [Fact]
    public void A_deal_featurized_at_a_past_instant_gets_the_features_it_would_have_had_if_exported_then()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).Take(300).ToArray();
        var random = new Random(99);
        foreach (var deal in deals)
        {
            var instant = DealTimelineTests.RandomInstant(deal, Sample.ExportTime, random);
            var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(deals.Where(other => other.ClosedAt <= instant)));

            var full = DealFeaturizer.Featurize(deal, instant, context);
            var cut = DealFeaturizer.Featurize(PointInTime.Cut(deal, instant), instant, context);

            Assert.True(full.Values.SequenceEqual(cut.Values), $"{deal.ExternalId} at {instant:O}: {Differences(full, cut)}");
            Assert.Equal(cut.Deal, full.Deal with { MissingFields = cut.Deal.MissingFields });
        }
    }

    [Fact]
    public void Missing_data_gives_null_features_instead_of_zeros()
    {
        var deal = Open() with
        {
            Stage = DealStages.Qualified,
            Region = "EU",
            UnavailableFields = [DealDataQuality.NextStep, DealDataQuality.LastActivity, DealDataQuality.Account],
        };
        deal = deal with { History = [.. deal.History, Change(1, DealFields.Stage, DealStages.Lead, DealStages.Qualified)] };
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(
            Enumerable.Range(0, 6).Select(i => Closed($"C-{i}", won: i < 3, closedDay: 30, owner: "rep_a", industry: "SaaS", amount: 10_000m))));

        var vector = DealFeaturizer.Featurize(deal, Day(20), context);

        foreach (var name in new[]
                 {
                     RiskSignals.Amount, RiskSignals.AmountPercentile, RiskSignals.DaysOverdue, RiskSignals.ContactCount,
                     RiskSignals.SingleThreaded, RiskSignals.DaysSinceLastActivity, RiskSignals.ActivitiesLast14Days,
                     RiskSignals.ActivitiesLast30Days, RiskSignals.NextStepStaleDays, RiskSignals.RepWinRate,
                     RiskSignals.RepWinRatePercentile, RiskSignals.RepWinRateLift, RiskSignals.IndustryWinRateLift,
                     RiskSignals.RegionWinRateLift, RiskSignals.LeadSourceWinRateLift, RiskSignals.ProductWinRateLift,
                     RiskSignals.PartnerLead, RiskSignals.StageNormalDays, RiskSignals.DaysInStageRatio,
                 })
            Assert.True(Value(vector, name) is null, $"{name} should be null but is {Value(vector, name)}");
        Assert.Equal(20, Value(vector, RiskSignals.DealAgeDays));
        Assert.Equal(20 / 30.0, Value(vector, RiskSignals.CycleVsAverage)!.Value, 9);
        Assert.Null(Value(vector, RiskSignals.NextStepMissing));
        Assert.Equal(6, Value(vector, RiskSignals.MissingFieldCount));
        Assert.Equal(1, Value(vector, RiskSignals.DataQualityFlag));
    }

    [Fact]
    public void Next_step_missing_is_unknown_when_the_source_never_records_next_steps()
    {
        var neverRecorded = DealFeaturizer.Featurize(Open(), Day(10), NoHistory);
        var present = DealFeaturizer.Featurize(Open() with { NextStep = "Demo", NextStepUpdatedAt = Day(1) }, Day(10), NoHistory);
        var cleared = Open() with { History = [.. Open().History, Change(2, DealFields.NextStep, "Demo", null)] };

        Assert.Null(Value(neverRecorded, RiskSignals.NextStepMissing));
        Assert.Equal(0, Value(present, RiskSignals.NextStepMissing));
        Assert.Equal(1, Value(DealFeaturizer.Featurize(cleared, Day(10), NoHistory), RiskSignals.NextStepMissing));
    }

    [Fact]
    public void Without_closed_history_the_learned_features_are_null()
    {
        var deal = Open() with { Owner = "rep_a", Amount = 5_000m, Industry = "SaaS", LeadSource = "Inbound" };

        var vector = DealFeaturizer.Featurize(deal, Day(10), NoHistory);

        Assert.Null(Value(vector, RiskSignals.CycleVsAverage));
        Assert.Null(Value(vector, RiskSignals.AmountPercentile));
        Assert.Null(Value(vector, RiskSignals.RepWinRate));
        Assert.Null(Value(vector, RiskSignals.LeadSourceWinRateLift));
        Assert.Equal(5_000, Value(vector, RiskSignals.Amount));
        Assert.Equal(0, Value(vector, RiskSignals.PartnerLead));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.0)]
    [InlineData(5, 0.0)]
    public void A_deal_with_at_most_one_contact_is_single_threaded(int contacts, double expected)
    {
        var vector = DealFeaturizer.Featurize(Open() with { ContactCount = contacts }, Day(5), NoHistory);

        Assert.Equal(expected, Value(vector, RiskSignals.SingleThreaded));
    }

    [Fact]
    public void Single_threaded_looks_at_the_contacts_the_deal_had_at_the_instant()
    {
        var deal = Open() with { ContactCount = 3 };
        deal = deal with { History = [.. deal.History, Change(10, DealFields.ContactCount, "1", "3")] };

        Assert.Equal(1, Value(DealFeaturizer.Featurize(deal, Day(9), NoHistory), RiskSignals.SingleThreaded));
        Assert.Equal(0, Value(DealFeaturizer.Featurize(deal, Day(11), NoHistory), RiskSignals.SingleThreaded));
    }

    [Theory]
    [InlineData("Partner", 1.0)]
    [InlineData("partner", 1.0)]
    [InlineData("Inbound", 0.0)]
    [InlineData("Referral", 0.0)]
    public void A_partner_lead_is_flagged_whatever_the_case_of_the_source(string leadSource, double expected)
    {
        var vector = DealFeaturizer.Featurize(Open() with { LeadSource = leadSource }, Day(5), NoHistory);

        Assert.Equal(expected, Value(vector, RiskSignals.PartnerLead));
    }

    [Theory]
    [InlineData("2025-01-20", 5.0)]
    [InlineData("2025-01-25", 0.0)]
    [InlineData("2025-03-01", 0.0)]
    [InlineData("2024-12-25", 31.0)]
    public void Days_overdue_counts_whole_days_since_the_close_date_and_never_goes_negative(string closeDate, double expected)
    {
        var deal = Open() with { CloseDate = DateOnly.Parse(closeDate, System.Globalization.CultureInfo.InvariantCulture) };

        var vector = DealFeaturizer.Featurize(deal, new DateTimeOffset(2025, 1, 25, 23, 0, 0, TimeSpan.Zero), NoHistory);

        Assert.Equal(expected, Value(vector, RiskSignals.DaysOverdue));
    }

    [Fact]
    public void Days_overdue_uses_the_close_date_as_it_was_before_a_later_push()
    {
        var deal = Open() with { CloseDate = new DateOnly(2025, 3, 1) };
        deal = deal with { History = [.. deal.History, Change(30, DealFields.CloseDate, "2025-01-31", "2025-03-01")] };

        var beforePush = DealFeaturizer.Featurize(deal, new DateTimeOffset(2025, 2, 3, 12, 0, 0, TimeSpan.Zero), NoHistory);
        var afterPush = DealFeaturizer.Featurize(deal, new DateTimeOffset(2025, 2, 6, 12, 0, 0, TimeSpan.Zero), NoHistory);

        Assert.Equal(3, Value(beforePush, RiskSignals.DaysOverdue));
        Assert.Equal(0, Value(beforePush, RiskSignals.CloseDatePushes));
        Assert.Equal(0, Value(afterPush, RiskSignals.DaysOverdue));
        Assert.Equal(1, Value(afterPush, RiskSignals.CloseDatePushes));
    }

    [Fact]
    public void Days_since_the_last_activity_counts_whole_days_before_the_instant()
    {
        var deal = Open() with { ActivityCount = 2, ActivityDates = [Day(1), Day(3.2)], LastActivityAt = Day(30) };

        var vector = DealFeaturizer.Featurize(deal, Day(17.1), NoHistory);

        Assert.Equal(13, Value(vector, RiskSignals.DaysSinceLastActivity));
        Assert.Equal(1, Value(vector, RiskSignals.ActivitiesLast14Days));
        Assert.Equal(2, Value(vector, RiskSignals.ActivitiesLast30Days));
    }

    [Fact]
    public void Days_in_stage_is_compared_with_the_normal_time_won_deals_spent_there()
    {
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(
            Enumerable.Range(0, 5).Select(i => Closed($"W-{i}", won: true, closedDay: 40))));
        var deal = Open() with { Stage = DealStages.Demo };
        deal = deal with { History = [.. deal.History, Change(2, DealFields.Stage, DealStages.Lead, DealStages.Demo)] };

        var vector = DealFeaturizer.Featurize(deal, Day(32), context);

        Assert.Equal(10, Value(vector, RiskSignals.StageNormalDays));
        Assert.Equal(30, Value(vector, RiskSignals.DaysInStage));
        Assert.Equal(3, Value(vector, RiskSignals.DaysInStageRatio));
        Assert.Equal(32 / 40.0, Value(vector, RiskSignals.CycleVsAverage)!.Value, 9);
    }

    private static double? Value(DealFeatureVector vector, string name) => vector.Values[RiskSignals.IndexOf(name)];

    /// <summary>The same deal with the opposite outcome: what a leak-free featurizer cannot tell apart before the close.</summary>
    private static DealSnapshot Flip(DealSnapshot deal)
    {
        var flipped = deal.IsWon ? DealStages.ClosedLost : DealStages.ClosedWon;
        return deal with
        {
            IsWon = !deal.IsWon,
            Stage = flipped,
            SourceStage = null,
            History = deal.History.Select(change => change.Field == DealFields.Stage && DealStages.IsClosed(change.To) ? change with { To = flipped } : change).ToArray(),
        };
    }

    private static string Differences(DealFeatureVector a, DealFeatureVector b) =>
        string.Join(", ", RiskSignals.Names.Where((_, i) => a.Values[i] != b.Values[i]).Select(name => $"{name} {Value(a, name)} vs {Value(b, name)}"));
}
