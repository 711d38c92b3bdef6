using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm.Tests;

public sealed class PlantedSignalTests
{
    private static readonly string[] WeakReps = ["rep_05", "rep_13", "rep_21"];

    [Fact]
    public void The_overall_win_rate_of_closed_deals_is_between_35_and_45_percent()
    {
        var closed = SampleDeals.Closed.ToList();

        Assert.InRange(closed.Count(deal => deal.IsWon) / (double)closed.Count, 0.35, 0.45);
    }

    [Fact]
    public void Single_threaded_deals_lose_clearly_more_often()
    {
        AssertLosesMore(deal => deal.ContactCount == 1, margin: 0.15);
    }

    [Fact]
    public void Deals_whose_close_date_was_pushed_three_or_more_times_lose_clearly_more_often()
    {
        AssertLosesMore(deal => HistoryReplay.CloseDatePushesBy(deal, DateTimeOffset.MaxValue) >= 3, margin: 0.15);
    }

    [Fact]
    public void Deals_that_went_silent_for_three_weeks_before_closing_lose_clearly_more_often()
    {
        AssertLosesMore(deal => deal.LastActivityAt is { } last && (deal.ClosedAt!.Value - last).TotalDays >= 21, margin: 0.15);
    }

    [Fact]
    public void Deals_stalled_in_their_last_open_stage_lose_more_often()
    {
        AssertLosesMore(deal => DaysInLastOpenStage(deal) > 60, margin: 0.10);
    }

    [Fact]
    public void Deals_that_moved_back_a_stage_lose_more_often()
    {
        AssertLosesMore(deal => HistoryReplay.StageRegressions(deal) > 0, margin: 0.08);
    }

    [Fact]
    public void Deals_with_a_stale_or_cleared_next_step_lose_more_often()
    {
        AssertLosesMore(deal => deal.NextStepUpdatedAt is { } updated && (deal.ClosedAt!.Value - updated).TotalDays > 30, margin: 0.08);
    }

    [Fact]
    public void Weak_reps_and_partner_leads_lose_more_often()
    {
        AssertLosesMore(deal => WeakReps.Contains(deal.Owner), margin: 0.06);
        AssertLosesMore(deal => deal.LeadSource == "Partner", margin: 0.06);
    }

    [Fact]
    public void Halfway_through_a_deal_the_signals_already_show_in_its_past_and_predict_the_loss()
    {
        static DateTimeOffset Midpoint(DealSnapshot deal) => deal.CreatedAt + (deal.ClosedAt!.Value - deal.CreatedAt) / 2;

        AssertLosesMore(deal => HistoryReplay.ValueAt(deal, DealFields.ContactCount, Midpoint(deal)) == "1", margin: 0.15);
        AssertLosesMore(deal => HistoryReplay.CloseDatePushesBy(deal, Midpoint(deal)) >= 2, margin: 0.15);
        AssertLosesMore(deal => Midpoint(deal) - (HistoryReplay.LastActivityBy(deal, Midpoint(deal)) ?? deal.CreatedAt) > TimeSpan.FromDays(14), margin: 0.10);
    }

    [Fact]
    public void Nothing_but_the_close_itself_is_recorded_at_or_after_a_deal_closes()
    {
        foreach (var deal in SampleDeals.Closed)
        {
            Assert.All(deal.History.SkipLast(1), change => Assert.True(change.At < deal.ClosedAt, deal.ExternalId));
            Assert.All(deal.ActivityDates, date => Assert.True(date < deal.ClosedAt, deal.ExternalId));
        }
    }

    [Fact]
    public void Open_deals_include_clearly_at_risk_ones()
    {
        var export = SampleDeals.Options.ExportTime;
        var open = SampleDeals.Open.ToList();

        Assert.Contains(open, deal => deal.LastActivityAt is { } last && (export - last).TotalDays >= 30);
        Assert.Contains(open, deal => HistoryReplay.CloseDatePushesBy(deal, export) >= 3);
        Assert.Contains(open, deal => deal.ContactCount == 1);
        Assert.Contains(open, deal => deal.CloseDate < SampleDeals.Options.AsOf);
        Assert.Contains(open, deal => deal.ContactCount == 1 && deal.CloseDate < SampleDeals.Options.AsOf
            && deal.LastActivityAt is { } last && (export - last).TotalDays >= 30);
    }

    private static void AssertLosesMore(Func<DealSnapshot, bool> signal, double margin)
    {
        var closed = SampleDeals.Closed.ToList();
        var flagged = closed.Where(signal).ToList();
        var rest = closed.Where(deal => !signal(deal)).ToList();
        Assert.True(flagged.Count >= 50, $"only {flagged.Count} closed deals show the signal");

        var flaggedLossRate = LossRate(flagged);
        var restLossRate = LossRate(rest);
        Assert.True(flaggedLossRate >= restLossRate + margin,
            $"loss rate {flaggedLossRate:P1} with the signal vs {restLossRate:P1} without; expected at least {margin:P0} more");
    }

    private static double LossRate(List<DealSnapshot> deals) => deals.Count(deal => !deal.IsWon) / (double)deals.Count;

    private static double DaysInLastOpenStage(DealSnapshot deal)
    {
        var stageMoves = deal.History.Where(change => change.Field == DealFields.Stage).ToList();
        return (stageMoves[^1].At - stageMoves[^2].At).TotalDays;
    }
}
