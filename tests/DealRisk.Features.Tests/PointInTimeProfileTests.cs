using DealRisk.Contracts;
using DealRisk.Features.Domain;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

/// <summary>A report as of a past day shows each deal as it was known that day, or unknown, never its later record.</summary>
public sealed class PointInTimeProfileTests
{
    private static readonly FeatureContext NoHistory = new(OutcomeStatistics.Empty);

    [Fact]
    public void Stage_amount_owner_days_in_stage_and_data_quality_are_those_of_the_day_not_of_the_final_record()
    {
        // Complete and won today; on day 12 it was in Demo (since day 10) at 45k with rep_a, and no next step,
        // contacts or activity had been recorded yet.
        var deal = Complete(Closed("W-1", won: true, closedDay: 40, owner: "rep_b", amount: 60_000m));
        deal = deal with
        {
            History =
            [
                .. deal.History,
                Change(15, DealFields.Owner, "rep_a", "rep_b"),
                Change(16, DealFields.Amount, "45000", "60000"),
                Change(20, DealFields.NextStep, null, "Sign"),
                Change(20, DealFields.ContactCount, null, "4"),
            ],
            LastActivityAt = Day(30),
        };
        deal = deal with { History = deal.History.OrderBy(change => change.At).ToArray() };

        var profile = DealFeaturizer.Featurize(deal, Day(12), NoHistory).Deal;
        var today = DealFeaturizer.Featurize(deal, Day(41), NoHistory).Deal;

        Assert.Equal((DealStages.Demo, 2, "rep_a", 45_000m), (profile.Stage, profile.DaysInStage, profile.Owner, profile.Amount));
        Assert.Equal([DealDataQuality.NextStep, DealDataQuality.ContactCount, DealDataQuality.LastActivity], profile.MissingFields);
        Assert.False(profile.DataQualityFlag);
        Assert.Equal((DealStages.ClosedWon, "rep_b", 60_000m), (today.Stage, today.Owner, today.Amount));
        Assert.Empty(today.MissingFields);
    }

    [Fact]
    public void A_deal_that_was_sparse_on_the_day_is_flagged_for_that_day_though_it_is_complete_today()
    {
        var deal = Complete(Open()) with
        {
            Owner = "rep_a",
            Amount = 10_000m,
            History =
            [
                .. Open().History,
                Change(5, DealFields.Owner, null, "rep_a"),
                Change(5, DealFields.Amount, null, "10000"),
                Change(5, DealFields.CloseDate, null, "2025-03-01"),
                Change(5, DealFields.NextStep, null, "Demo"),
            ],
        };

        var before = DealFeaturizer.Featurize(deal, Day(3), NoHistory);
        var after = DealFeaturizer.Featurize(deal, Day(6), NoHistory);

        Assert.True(before.Deal.DataQualityFlag);
        Assert.Equal([DealDataQuality.Amount, DealDataQuality.CloseDate, DealDataQuality.Owner, DealDataQuality.NextStep], before.Deal.MissingFields);
        Assert.Equal((4.0, 1.0), (Value(before, RiskSignals.MissingFieldCount), Value(before, RiskSignals.DataQualityFlag)));
        Assert.False(after.Deal.DataQualityFlag);
        Assert.Equal((0.0, 0.0), (Value(after, RiskSignals.MissingFieldCount), Value(after, RiskSignals.DataQualityFlag)));
    }

    [Fact]
    public void Amount_and_owner_of_a_deal_closed_later_are_unknown_when_the_source_never_records_their_changes()
    {
        // An export row written at close: "Close Value" 0 on a lost deal, the owner at close, no history of either.
        var deal = Complete(Closed("L-1", won: false, closedDay: 40, owner: "rep_z", amount: 0m)) with { UntrackedFields = DealFields.UntrackedByExports };

        var profile = DealFeaturizer.Featurize(deal, Day(12), NoHistory).Deal;

        Assert.Equal(DealStages.Demo, profile.Stage);
        Assert.Null(profile.Amount);
        Assert.Null(profile.Owner);
        Assert.Equal((0m, "rep_z"), (DealFeaturizer.Featurize(deal, Day(41), NoHistory).Deal.Amount, DealFeaturizer.Featurize(deal, Day(41), NoHistory).Deal.Owner));
    }

    [Fact]
    public void A_source_that_records_every_change_keeps_amount_and_owner_of_a_deal_closed_later()
    {
        var deal = Complete(Closed("L-2", won: false, closedDay: 40, owner: "rep_z", amount: 30_000m));

        var profile = DealFeaturizer.Featurize(deal, Day(12), NoHistory).Deal;

        Assert.Equal(("rep_z", 30_000m), (profile.Owner, profile.Amount));
    }

    [Fact]
    public void A_stage_the_history_cannot_tell_is_unknown_rather_than_the_final_one()
    {
        // An export that knows only the final stage, recorded at the close.
        var deal = Complete(Closed("W-2", won: true, closedDay: 40)) with
        {
            SourceStage = "Won",
            History = [Change(40, DealFields.Stage, null, DealStages.ClosedWon)],
        };

        var profile = DealFeaturizer.Featurize(deal, Day(12), NoHistory).Deal;

        Assert.Equal(PointInTimeProfile.UnknownStage, profile.Stage);
        Assert.Null(profile.DaysInStage);
    }

    private static DealSnapshot Complete(DealSnapshot deal) => deal with
    {
        Name = "Acme",
        Account = "Acme Corp",
        Owner = deal.Owner ?? "rep_a",
        Amount = deal.Amount ?? 20_000m,
        CloseDate = new DateOnly(2025, 3, 1),
        Industry = "SaaS",
        Region = "EU",
        LeadSource = "Web",
        NextStep = "Sign",
        ContactCount = 4,
        LastActivityAt = Day(1),
    };

    private static double? Value(DealFeatureVector vector, string feature) => vector.Values[RiskSignals.IndexOf(feature)];
}
