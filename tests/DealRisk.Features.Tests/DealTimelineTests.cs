using DealRisk.Contracts;
using DealRisk.Features.Domain;
using static DealRisk.Features.Tests.TestDeals;

namespace DealRisk.Features.Tests;

public sealed class DealTimelineTests
{
    /// <summary>
    /// Lead → Qualified (day 5) → Demo (15) → back to Qualified (30) → Proposal (40); two close-date pushes
    /// (20, 45) and a pull-in (33); amount changes (10, 35), owner changes (25, 52), next-step changes (12, 50),
    /// contacts 1 → 3 (22).
    /// </summary>
    private static readonly DealSnapshot Busy = Open() with
    {
        Version = 15,
        Stage = DealStages.Proposal,
        Owner = "rep_c",
        Amount = 30_000m,
        CloseDate = new DateOnly(2025, 4, 15),
        NextStep = "Send contract",
        NextStepUpdatedAt = Day(50),
        ContactCount = 3,
        History =
        [
            Change(0, DealFields.Stage, null, DealStages.Lead),
            Change(5, DealFields.Stage, DealStages.Lead, DealStages.Qualified),
            Change(10, DealFields.Amount, "20000", "25000"),
            Change(12, DealFields.NextStep, "Intro call", "Demo prep"),
            Change(15, DealFields.Stage, DealStages.Qualified, DealStages.Demo),
            Change(20, DealFields.CloseDate, "2025-03-01", "2025-03-20"),
            Change(22, DealFields.ContactCount, "1", "3"),
            Change(25, DealFields.Owner, "rep_a", "rep_b"),
            Change(30, DealFields.Stage, DealStages.Demo, DealStages.Qualified),
            Change(33, DealFields.CloseDate, "2025-03-20", "2025-03-10"),
            Change(35, DealFields.Amount, "25000", "30000"),
            Change(40, DealFields.Stage, DealStages.Qualified, DealStages.Proposal),
            Change(45, DealFields.CloseDate, "2025-03-10", "2025-04-15"),
            Change(50, DealFields.NextStep, "Demo prep", "Send contract"),
            Change(52, DealFields.Owner, "rep_b", "rep_c"),
        ],
    };

    [Fact]
    public void A_field_the_source_fills_in_only_at_close_is_unknown_in_every_snapshot_before_the_close()
    {
        var lost = Closed("F-1", won: false, closedDay: 60, amount: 0m) with { FinalOnlyFields = [DealFields.Amount] };
        var open = Open("F-2") with { Amount = 40_000m, FinalOnlyFields = [DealFields.Amount] };

        Assert.Null(DealTimeline.AsOf(lost, Day(30)).Amount);
        Assert.Equal(0m, DealTimeline.AsOf(lost, Day(61)).Amount);
        Assert.Null(DealTimeline.AsOf(open, Day(30)).Amount);
        Assert.Equal(0m, DealTimeline.AsOf(lost with { FinalOnlyFields = [] }, Day(30)).Amount);
    }

    [Fact]
    public void Replaying_a_deal_undoes_every_stage_amount_close_date_owner_next_step_and_contact_change_made_after_the_instant()
    {
        var state = DealTimeline.AsOf(Busy, Day(27));

        Assert.Equal(DealStages.Demo, state.Stage);
        Assert.Equal(Day(15), state.StageEnteredAt);
        Assert.Equal(25_000m, state.Amount);
        Assert.Equal(new DateOnly(2025, 3, 20), state.CloseDate);
        Assert.Equal("rep_b", state.Owner);
        Assert.Equal("Demo prep", state.NextStep);
        Assert.Equal(3, state.ContactCount);
    }

    [Fact]
    public void Replaying_before_the_first_change_gives_the_values_the_deal_was_created_with()
    {
        var state = DealTimeline.AsOf(Busy, Day(3));

        Assert.Equal(DealStages.Lead, state.Stage);
        Assert.Equal(Created, state.StageEnteredAt);
        Assert.Equal(20_000m, state.Amount);
        Assert.Equal(new DateOnly(2025, 3, 1), state.CloseDate);
        Assert.Equal("rep_a", state.Owner);
        Assert.Equal("Intro call", state.NextStep);
        Assert.Equal(1, state.ContactCount);
        Assert.Equal((0, 0, 0, 0), (state.StageRegressions, state.CloseDatePushes, state.AmountChanges, state.OwnerChanges));
    }

    [Fact]
    public void Replaying_after_the_last_change_gives_the_current_values_and_every_count()
    {
        var state = DealTimeline.AsOf(Busy, Day(60));

        Assert.Equal(DealStages.Proposal, state.Stage);
        Assert.Equal(Day(40), state.StageEnteredAt);
        Assert.Equal(30_000m, state.Amount);
        Assert.Equal(new DateOnly(2025, 4, 15), state.CloseDate);
        Assert.Equal("rep_c", state.Owner);
        Assert.Equal("Send contract", state.NextStep);
        Assert.Equal(Day(50), state.NextStepUpdatedAt);
        Assert.Equal((1, 2, 2, 2), (state.StageRegressions, state.CloseDatePushes, state.AmountChanges, state.OwnerChanges));
    }

    [Theory]
    [InlineData(4, 0, 0, 0, 0)]
    [InlineData(19, 0, 0, 1, 0)]
    [InlineData(20, 0, 1, 1, 0)]
    [InlineData(29.9, 0, 1, 1, 1)]
    [InlineData(30, 1, 1, 1, 1)]
    [InlineData(34, 1, 1, 1, 1)]
    [InlineData(44, 1, 1, 2, 1)]
    [InlineData(46, 1, 2, 2, 1)]
    [InlineData(53, 1, 2, 2, 2)]
    public void Regressions_pushes_amount_and_owner_changes_are_counted_only_up_to_the_instant(
        double day, int regressions, int pushes, int amountChanges, int ownerChanges)
    {
        var state = DealTimeline.AsOf(Busy, Day(day));

        Assert.Equal(regressions, state.StageRegressions);
        Assert.Equal(pushes, state.CloseDatePushes);
        Assert.Equal(amountChanges, state.AmountChanges);
        Assert.Equal(ownerChanges, state.OwnerChanges);
    }

    [Fact]
    public void A_close_date_moved_earlier_is_not_a_push()
    {
        var deal = Open() with
        {
            CloseDate = new DateOnly(2025, 2, 1),
            History =
            [
                Change(0, DealFields.Stage, null, DealStages.Lead),
                Change(3, DealFields.CloseDate, "2025-03-01", "2025-02-15"),
                Change(6, DealFields.CloseDate, "2025-02-15", "2025-02-01"),
            ],
        };

        Assert.Equal(0, DealTimeline.AsOf(deal, Day(10)).CloseDatePushes);
    }

    [Fact]
    public void Setting_an_amount_or_owner_for_the_first_time_is_not_a_change()
    {
        var deal = Open() with
        {
            Amount = 12_000m,
            Owner = "rep_a",
            History =
            [
                Change(0, DealFields.Stage, null, DealStages.Lead),
                Change(1, DealFields.Amount, null, "12000"),
                Change(1, DealFields.Owner, null, "rep_a"),
            ],
        };

        var state = DealTimeline.AsOf(deal, Day(2));

        Assert.Equal((0, 0), (state.AmountChanges, state.OwnerChanges));
        Assert.Equal((12_000m, "rep_a"), (state.Amount, state.Owner));
    }

    [Fact]
    public void Changes_made_at_the_same_instant_are_undone_newest_first()
    {
        var deal = Open() with
        {
            Stage = DealStages.Demo,
            Amount = 30_000m,
            History =
            [
                Change(0, DealFields.Stage, null, DealStages.Lead),
                Change(5, DealFields.Stage, DealStages.Lead, DealStages.Qualified),
                Change(5, DealFields.Stage, DealStages.Qualified, DealStages.Demo),
                Change(5, DealFields.Amount, "10000", "20000"),
                Change(5, DealFields.Amount, "20000", "30000"),
            ],
        };

        var before = DealTimeline.AsOf(deal, Day(4));
        var after = DealTimeline.AsOf(deal, Day(5));

        Assert.Equal((DealStages.Lead, 10_000m), (before.Stage, before.Amount));
        Assert.Equal((DealStages.Demo, 30_000m), (after.Stage, after.Amount));
    }

    [Fact]
    public void Activities_are_counted_in_14_and_30_day_windows_that_end_at_the_instant()
    {
        var instant = Day(60);
        var deal = Open() with
        {
            ActivityCount = 8,
            LastActivityAt = Day(61),
            ActivityDates = new[] { -40, -31, -29, -20, -14, -13, -1, 1 }.Select(offset => instant.AddDays(offset)).ToArray(),
        };

        var state = DealTimeline.AsOf(deal, instant);

        Assert.Equal(2, state.ActivitiesLast14Days);
        Assert.Equal(5, state.ActivitiesLast30Days);
        Assert.Equal(instant.AddDays(-1), state.LastActivityAt);
    }

    [Fact]
    public void A_deal_whose_source_records_no_activities_has_no_activity_counts()
    {
        var state = DealTimeline.AsOf(Open(), Day(10));

        Assert.Null(state.ActivitiesLast14Days);
        Assert.Null(state.ActivitiesLast30Days);
        Assert.Null(state.LastActivityAt);
    }

    [Fact]
    public void A_last_activity_after_the_instant_is_not_seen_even_without_activity_dates()
    {
        var deal = Open() with { LastActivityAt = Day(20), ActivityCount = 3 };

        Assert.Null(DealTimeline.AsOf(deal, Day(10)).LastActivityAt);
        Assert.Equal(Day(20), DealTimeline.AsOf(deal, Day(21)).LastActivityAt);
    }

    [Fact]
    public void A_next_step_held_since_creation_without_a_recorded_change_dates_from_the_creation()
    {
        var deal = Open() with { NextStep = "Intro call", NextStepUpdatedAt = Day(30), History = [.. Open().History, Change(30, DealFields.NextStep, "Intro call", "Demo")] };

        Assert.Equal(Created, DealTimeline.AsOf(deal with { NextStep = "Demo" }, Day(10)).NextStepUpdatedAt);
        Assert.Null(DealTimeline.AsOf(Open(), Day(10)).NextStepUpdatedAt);
    }

    [Fact]
    public void A_next_step_updated_after_the_instant_is_dated_by_the_last_next_step_change_before_it()
    {
        Assert.Equal(Day(12), DealTimeline.AsOf(Busy, Day(27)).NextStepUpdatedAt);
        Assert.Equal(Day(50), DealTimeline.AsOf(Busy, Day(50)).NextStepUpdatedAt);
    }

    [Fact]
    public void A_closed_deal_replayed_before_its_close_is_still_open_and_shows_nothing_from_after_the_instant()
    {
        var deal = Closed("W-1", won: true, closedDay: 40) with
        {
            Amount = 50_000m,
            ActivityCount = 3,
            LastActivityAt = Day(38),
            ActivityDates = [Day(8), Day(25), Day(38)],
        };
        deal = deal with { History = [.. deal.History, Change(30, DealFields.Amount, "40000", "50000")] };
        deal = deal with { History = deal.History.OrderBy(change => change.At).ToArray() };

        var state = DealTimeline.AsOf(deal, Day(22));

        Assert.Equal(DealStages.Negotiation, state.Stage);
        Assert.False(DealStages.IsClosed(state.Stage));
        Assert.Equal(Day(20), state.StageEnteredAt);
        Assert.Equal(40_000m, state.Amount);
        Assert.Equal(0, state.AmountChanges);
        Assert.Equal(Day(8), state.LastActivityAt);
        Assert.Equal(1, state.ActivitiesLast30Days);
    }

    [Fact]
    public void A_closed_deal_without_stage_history_replayed_before_its_close_has_no_stage_rather_than_its_outcome()
    {
        var deal = Closed("L-1", won: false, closedDay: 30) with { History = [] };

        Assert.Null(DealTimeline.AsOf(deal, Day(10)).Stage);
        Assert.Equal(DealStages.ClosedLost, DealTimeline.AsOf(deal, Day(31)).Stage);
    }

    [Fact]
    public void A_deal_replayed_at_a_random_instant_holds_nothing_from_after_that_instant()
    {
        var options = new SyntheticCrm.SyntheticCrmOptions { Seed = 11, DealCount = 400, AsOf = new DateOnly(2025, 3, 31) };
        var random = new Random(2024);
        var checkedDeals = 0;
        foreach (var deal in SyntheticCrm.SyntheticCrmGenerator.Generate(options))
        {
            var instant = RandomInstant(deal, options.ExportTime, random);
            var state = DealTimeline.AsOf(deal, instant);
            var past = PointInTime.Cut(deal, instant);
            var id = $"{deal.ExternalId} at {instant:O}";

            Assert.True(state.Stage == past.Stage, $"{id}: stage {state.Stage}, expected {past.Stage}");
            Assert.Equal(deal.History.Last(change => change.Field == DealFields.Stage && change.At <= instant).To, state.Stage);
            Assert.False(DealStages.IsClosed(state.Stage) && deal.ClosedAt > instant, id);
            Assert.True(state.StageEnteredAt <= instant, id);
            Assert.Equal(past.Amount, state.Amount);
            Assert.Equal(past.CloseDate, state.CloseDate);
            Assert.Equal(past.Owner, state.Owner);
            Assert.Equal(past.NextStep, state.NextStep);
            Assert.Equal(past.ContactCount, state.ContactCount);
            Assert.True(state.NextStepUpdatedAt is null || state.NextStepUpdatedAt <= instant, id);
            Assert.True(state.LastActivityAt is null || state.LastActivityAt <= instant, id);
            Assert.Equal(past.LastActivityAt, state.LastActivityAt);

            // The replay of the full deal and of the deal as it was exported at the instant are the same state.
            var replayedPast = DealTimeline.AsOf(past, instant);
            Assert.Equal(replayedPast, state);
            checkedDeals++;
        }

        Assert.Equal(options.DealCount, checkedDeals);
    }

    /// <summary>Half the time a change's own instant (the boundary), otherwise uniform between creation and the export.</summary>
    internal static DateTimeOffset RandomInstant(DealSnapshot deal, DateTimeOffset exportTime, Random random)
    {
        if (random.Next(2) == 0)
            return deal.History[random.Next(deal.History.Count)].At;
        var span = (exportTime - deal.CreatedAt).Ticks;
        return deal.CreatedAt.AddTicks((long)(random.NextDouble() * span));
    }
}
