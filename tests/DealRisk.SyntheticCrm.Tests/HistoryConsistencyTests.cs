using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm.Tests;

public sealed class HistoryConsistencyTests
{
    [Fact]
    public void Replaying_history_backwards_from_the_current_values_matches_every_change_and_ends_before_creation()
    {
        foreach (var deal in SampleDeals.All)
        {
            var values = HistoryReplay.TrackedFields.ToDictionary(field => field, field => HistoryReplay.Current(deal, field));
            for (var i = deal.History.Count - 1; i >= 0; i--)
            {
                var change = deal.History[i];
                Assert.True(values[change.Field] == change.To, $"{deal.ExternalId}: {change.Field} is '{values[change.Field]}' but the change at {change.At:O} says '{change.To}'.");
                Assert.NotEqual(change.From, change.To);
                values[change.Field] = change.From;
            }
            Assert.Null(values[DealFields.Stage]);
        }
    }

    [Fact]
    public void The_first_history_entry_is_the_stage_the_deal_was_created_in()
    {
        foreach (var deal in SampleDeals.All)
        {
            var first = deal.History[0];
            Assert.Equal(DealFields.Stage, first.Field);
            Assert.Null(first.From);
            Assert.Equal(deal.CreatedAt, first.At);
            Assert.Contains(first.To, DealStages.OpenStages);
            Assert.Equal(first.To, HistoryReplay.ValueAt(deal, DealFields.Stage, deal.CreatedAt));
        }
    }

    [Fact]
    public void History_is_in_time_order_and_stage_moves_are_strictly_increasing_in_time()
    {
        foreach (var deal in SampleDeals.All)
        {
            Assert.True(deal.History.Zip(deal.History.Skip(1)).All(pair => pair.First.At <= pair.Second.At), deal.ExternalId);
            var stageTimes = deal.History.Where(change => change.Field == DealFields.Stage).Select(change => change.At).ToList();
            Assert.True(stageTimes.Zip(stageTimes.Skip(1)).All(pair => pair.First < pair.Second), deal.ExternalId);
        }
    }

    [Fact]
    public void Open_deals_sit_in_an_open_stage_and_closed_deals_end_in_won_or_lost_at_their_close()
    {
        foreach (var deal in SampleDeals.Open)
        {
            Assert.Contains(deal.Stage, DealStages.OpenStages);
            Assert.False(deal.IsWon);
            Assert.Null(deal.ClosedAt);
        }
        foreach (var deal in SampleDeals.Closed)
        {
            Assert.Equal(deal.IsWon ? DealStages.ClosedWon : DealStages.ClosedLost, deal.Stage);
            var last = deal.History[^1];
            Assert.Equal((DealFields.Stage, deal.Stage, deal.ClosedAt), (last.Field, last.To, (DateTimeOffset?)last.At));
            Assert.Single(deal.History, change => DealStages.IsClosed(change.To) && change.Field == DealFields.Stage);
        }
    }

    [Fact]
    public void Nothing_happens_after_the_export_and_nothing_before_the_history_window()
    {
        var export = SampleDeals.Options.ExportTime;
        var windowStart = export.AddMonths(-SampleDeals.Options.HistoryMonths);
        foreach (var deal in SampleDeals.All)
        {
            DateTimeOffset?[] times = [deal.CreatedAt, deal.ClosedAt, deal.LastActivityAt, deal.NextStepUpdatedAt, deal.UpdatedAt];
            Assert.All(times.OfType<DateTimeOffset>().Concat(deal.History.Select(change => change.At)).Concat(deal.ActivityDates),
                time => Assert.InRange(time, windowStart, export.AddTicks(-1)));
        }
    }

    [Fact]
    public void Version_activity_and_update_fields_agree_with_the_history()
    {
        foreach (var deal in SampleDeals.All)
        {
            Assert.Equal(deal.History.Count + 1, deal.Version);
            Assert.InRange(deal.ActivityDates.Count, 0, 40);
            Assert.True(deal.ActivityDates.Zip(deal.ActivityDates.Skip(1)).All(pair => pair.First <= pair.Second), deal.ExternalId);
            if (deal.ActivityCount is { } count)
            {
                Assert.True(count >= deal.ActivityDates.Count);
                Assert.Equal(deal.ActivityDates.Count > 0 ? deal.ActivityDates[^1] : null, deal.LastActivityAt);
            }
            var latest = deal.History[^1].At > (deal.LastActivityAt ?? deal.CreatedAt) ? deal.History[^1].At : deal.LastActivityAt ?? deal.CreatedAt;
            Assert.Equal(latest, deal.UpdatedAt);
        }
    }

    [Fact]
    public void Deals_carry_the_synthetic_source_sequential_ids_known_reps_and_mapped_source_stages()
    {
        var deals = SampleDeals.All;
        Assert.Equal(Enumerable.Range(1, deals.Count).Select(i => $"SYN-{i:0000000}"), deals.Select(deal => deal.ExternalId));
        foreach (var deal in deals)
        {
            Assert.Equal("synthetic", deal.Source);
            Assert.Equal(deal.Stage, SyntheticStages.SourceToCanonical[deal.SourceStage!]);
            if (deal.Owner is not null)
                Assert.Matches("^rep_(0[1-9]|1[0-9]|2[0-5])$", deal.Owner);
            if (deal.Amount is { } amount)
                Assert.InRange(amount, 5_000m, 250_000m);
            Assert.Contains(" – ", deal.Name);
        }
    }

    [Fact]
    public void About_the_requested_share_of_deals_is_still_open()
    {
        var openShare = SampleDeals.Open.Count() / (double)SampleDeals.All.Count;

        Assert.InRange(openShare, 0.26, 0.34);
    }
}
