using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Scoring.History;
using DealRisk.Scoring.Modeling;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ScoreMovementTests(ITestOutputHelper output) : ScoringHostTest(SmallTrainingGate)
{
    private static readonly DateTimeOffset Day = new(2026, 11, 1, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_deal_silent_for_30_days_shows_the_silence_reason_as_added()
    {
        var before = await ScoreAsync(Versioned("S-1", 1, DealStages.Proposal), Day, ("days_since_last_activity", 2), ("deal_age_days", 40));
        var silent = await ScoreAsync(Versioned("S-1", 2, DealStages.Proposal), Day.AddDays(28), ("days_since_last_activity", 30), ("deal_age_days", 68));

        Assert.Null(before.Movement);
        var movement = Assert.IsType<ScoreMovement>(silent.Movement);
        var added = Assert.Single(movement.Added, signal => signal.Signal == "days_since_last_activity");
        Assert.Equal(("No activity for 30 days", 30.0), (added.Reason, added.To));
        Assert.Null(added.From);
        Assert.Equal(silent.Score - before.Score, movement.Delta);
        Assert.True(movement.Delta > 0, $"delta {movement.Delta}");
        Assert.Equal((before.Score, before.Level), (movement.PreviousScore, movement.PreviousLevel));
        Assert.Contains("no activity for 30 days (new)", movement.Summary);
        Assert.StartsWith($"Up {movement.Delta} to ", movement.Summary);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_signal_that_stops_counting_is_removed_and_a_tier_change_is_changed()
    {
        await ScoreAsync(Versioned("S-2", 1), Day, ("days_since_last_activity", 20), ("close_date_pushes", 3));
        var later = await ScoreAsync(Versioned("S-2", 2), Day.AddDays(20), ("days_since_last_activity", 40), ("close_date_pushes", 0));

        var movement = later.Movement!;
        Assert.Contains(movement.Removed, signal => signal.Signal == "close_date_pushes" && signal.From == 3);
        var silence = Assert.Single(movement.Changed, signal => signal.Signal == "days_since_last_activity");
        Assert.Equal((20.0, 40.0, 20.0, 30.0), (silence.From, silence.To, silence.PointsFrom, silence.PointsTo));
        Assert.Contains("no activity for 40 days (was 20)", movement.Summary);
        Assert.Contains("no longer close date pushed 3 times", movement.Summary);
    }

    [Fact]
    public async Task The_trigger_of_a_crm_change_is_kept_with_the_score_and_named_in_its_movement()
    {
        await ScoreAsync(Versioned("S-3", 1, DealStages.Proposal), Day, ("days_since_last_activity", 2));
        var change = new DealChange { At = Day.AddDays(1), Field = DealFields.Stage, From = DealStages.Proposal, To = DealStages.Demo };
        var trigger = new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, Source = "hubspot-webhook", EventId = "delivery-7", At = Day.AddDays(1), Changes = [change] };
        var moved = await ScoreAsync(Versioned("S-3", 2, DealStages.Demo), Day.AddDays(1), trigger, ("days_since_last_activity", 3), ("stage_regressions", 1));

        Assert.Equal(("crm-change", "hubspot-webhook", "delivery-7"), (moved.Trigger!.Kind, moved.Trigger.Source, moved.Trigger.EventId));
        Assert.Equal([change], moved.Movement!.Changes);
        Assert.Contains("moved back from Proposal to Demo on Nov 2", moved.Movement.Summary);
        var history = await Host.Services.GetRequiredService<IScoreHistory>().ReadAsync("test:S-3", CancellationToken.None);
        Assert.Equal([2L, 1L], history.Select(entry => entry.DealVersion));
        Assert.Equal("delivery-7", history[0].Trigger.EventId);
    }

    [Fact]
    public async Task The_deals_of_one_delivery_scored_in_one_message_each_keep_their_own_change_in_trigger_movement_and_history()
    {
        await ScoreAsync(Versioned("S-7", 1, DealStages.Proposal), Day, ("days_since_last_activity", 2));
        await ScoreAsync(Versioned("S-8", 1, DealStages.Qualified), Day, ("days_since_last_activity", 2));
        var at = Day.AddDays(1);
        var backward = new DealChange { At = at, Field = DealFields.Stage, From = DealStages.Proposal, To = DealStages.Demo };
        var pushed = new DealChange { At = at, Field = DealFields.CloseDate, From = "2026-12-01", To = "2027-01-15" };
        ScoreTrigger Trigger(params DealChange[] changes) =>
            new() { Kind = ScoreTrigger.CrmChangeKind, Source = "hubspot-webhook", EventId = "delivery-9", At = at, Changes = changes };
        var computed = Computed(Vector(Versioned("S-7", 2, DealStages.Demo), ("days_since_last_activity", 3), ("stage_regressions", 1))) with
        {
            AsOf = at,
            Deals =
            [
                Vector(Versioned("S-7", 2, DealStages.Demo), ("days_since_last_activity", 3), ("stage_regressions", 1)),
                Vector(Versioned("S-8", 2, DealStages.Qualified), ("days_since_last_activity", 3), ("close_date_pushes", 1)),
            ],
            Trigger = Trigger(),
            Triggers = [Trigger(backward), Trigger(pushed)],
        };

        await Host.DeliverAsync(computed);

        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Equal(["S-7", "S-8"], scored.Scores.Select(score => score.Deal.ExternalId));
        Assert.Equal([backward], scored.Scores[0].Trigger!.Changes);
        Assert.Equal([backward], scored.Scores[0].Movement!.Changes);
        Assert.Equal([pushed], scored.Scores[1].Trigger!.Changes);
        Assert.Equal([pushed], scored.Scores[1].Movement!.Changes);
        var history = Host.Services.GetRequiredService<IScoreHistory>();
        Assert.Equal(DealFields.Stage, Assert.Single((await history.ReadAsync("test:S-7", CancellationToken.None))[0].Trigger.Changes).Field);
        Assert.Equal(DealFields.CloseDate, Assert.Single((await history.ReadAsync("test:S-8", CancellationToken.None))[0].Trigger.Changes).Field);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task Scoring_answers_a_deals_history_request_newest_first_with_trigger_and_movement()
    {
        await ScoreAsync(Versioned("S-5", 1), Day, ("days_since_last_activity", 2));
        await ScoreAsync(Versioned("S-5", 2), Day.AddDays(28), ("days_since_last_activity", 30));

        var client = Host.Harness.GetRequestClient<GetDealScoreHistory>();
        var found = (await client.GetResponse<DealScoreHistoryFound>(new GetDealScoreHistory { Source = "test", ExternalId = "S-5" })).Message;
        var unknown = (await client.GetResponse<DealScoreHistoryFound>(new GetDealScoreHistory { Source = "test", ExternalId = "NOPE" })).Message;

        Assert.Equal(("test", "S-5"), (found.Source, found.ExternalId));
        Assert.Equal([2L, 1L], found.Scores.Select(score => score.DealVersion));
        Assert.Null(found.Scores[1].Movement);
        Assert.Contains("no activity for 30 days (new)", found.Scores[0].Movement!.Summary);
        Assert.Equal(found.Scores[0].Score - found.Scores[1].Score, found.Scores[0].Movement!.Delta);
        Assert.Equal(ScoreTrigger.CrmChangeKind, found.Scores[0].Trigger.Kind);
        Assert.Equal(found.Scores[0].Reasons.Count, found.Scores[0].Factors.Count);
        Assert.Empty(unknown.Scores);
    }

    [Fact]
    public async Task Scoring_answers_a_deals_latest_score_request_with_its_newest_score_and_action_and_null_for_a_deal_it_never_scored()
    {
        var newest = await ScoreAsync(Versioned("S-6", 2), Day, ("days_since_last_activity", 30));
        await ScoreAsync(Versioned("S-6", 1), Day.AddDays(1), ("days_since_last_activity", 2));

        var client = Host.Harness.GetRequestClient<GetDealLatestScore>();
        var found = (await client.GetResponse<DealLatestScoreFound>(new GetDealLatestScore { Source = "test", ExternalId = "S-6" })).Message;
        var unknown = (await client.GetResponse<DealLatestScoreFound>(new GetDealLatestScore { Source = "test", ExternalId = "NOPE" })).Message;

        Assert.Equal(("test", "S-6"), (found.Source, found.ExternalId));
        Assert.Equal((2L, Day), (found.Score!.DealVersion, found.Score.AsOf));
        Assert.Equal((newest.Score, newest.Level, newest.Action), (found.Score.Score, found.Score.Level, found.Score.Action));
        Assert.False(string.IsNullOrWhiteSpace(found.Score.Action));
        Assert.Equal(newest.Reasons, found.Score.Reasons);
        Assert.Null(unknown.Score);
    }

    [Fact]
    public async Task A_redelivered_chunk_appends_nothing_and_publishes_the_same_movement()
    {
        await ScoreAsync(Versioned("S-4", 1), Day, ("days_since_last_activity", 2));
        var chunk = Computed(Vector(Versioned("S-4", 2), ("days_since_last_activity", 31))) with
        {
            AsOf = Day.AddDays(1),
            Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(Day.AddDays(1).UtcDateTime), ChunkIndex = 3 },
        };
        await Host.DeliverAsync(chunk);
        await Host.DeliverAsync(chunk with { CorrelationId = Guid.NewGuid() });

        var both = Host.ScoredSoFar(s => s.Batch?.BatchId == chunk.Batch!.BatchId).Select(s => Assert.Single(s.Scores)).ToList();
        Assert.Equal(2, both.Count);
        Assert.Equal(both[0].Movement!.Summary, both[1].Movement!.Summary);
        Assert.Equal(("batch", chunk.Batch!.BatchId), (both[0].Trigger!.Kind, both[0].Trigger!.BatchId));
        var history = await Host.Services.GetRequiredService<IScoreHistory>().ReadAsync("test:S-4", CancellationToken.None);
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task A_batch_chunk_of_several_history_slices_publishes_every_deal_in_order_with_its_own_movement()
    {
        var deals = SilentDeals(ScoreTrail.DealsPerSlice * 5 / 2, Day, silentDays: 2);
        var yesterday = await ScoreChunkAsync(Day, deals);
        var today = await ScoreChunkAsync(Day.AddDays(1), SilentDeals(deals.Length, Day.AddDays(1), silentDays: 31));

        Assert.Equal(deals.Select(v => v.Deal.ExternalId), today.Published.Select(s => s.Deal.ExternalId));
        Assert.All(yesterday.Published, score => Assert.Null(score.Movement));
        Assert.All(today.Published.Zip(yesterday.Published), pair =>
        {
            var movement = Assert.IsType<ScoreMovement>(pair.First.Movement);
            Assert.Equal((pair.Second.Score, Day), (movement.PreviousScore, movement.PreviousAsOf));
            Assert.Contains(movement.Added, signal => signal.Signal == "days_since_last_activity");
            Assert.Equal(today.BatchId, pair.First.Trigger!.BatchId);
        });
        var last = await Host.Services.GetRequiredService<IScoreHistory>().ReadAsync(DealKey.Of(today.Published[^1].Deal), CancellationToken.None);
        Assert.Equal([Day.AddDays(1), Day], last.Select(entry => entry.AsOf));
        Host.AssertNoFaults();
    }

    private static DealFeatureVector[] SilentDeals(int count, DateTimeOffset asOf, int silentDays) =>
        [.. Enumerable.Range(0, count).Select(i =>
            Vector(Versioned($"C-{i:D5}", asOf.DayOfYear, DealStages.Proposal), ("days_since_last_activity", silentDays), ("deal_age_days", 40 + i % 50)))];

    [Fact]
    public async Task A_model_scored_deal_has_contribution_deltas_that_add_up_to_its_score_delta_within_calibration()
    {
        await Host.Store.Models.UpsertAsync(TrainingData.Model.ModelVersion, TrainingData.Model);
        await Host.Services.GetRequiredService<ServedModels>().ServeAsync(TrainingData.Model, "test", CancellationToken.None);
        var before = await ScoreAsync(Versioned("M-1", 1, DealStages.Proposal), Day,
            ("days_since_last_activity", 1), ("close_date_pushes", 0), ("contact_count", 4), ("deal_age_days", 60), ("amount", 30_000));
        var after = await ScoreAsync(Versioned("M-1", 2, DealStages.Proposal), Day.AddDays(30),
            ("days_since_last_activity", 31), ("close_date_pushes", 3), ("contact_count", 4), ("deal_age_days", 90), ("amount", 30_000));

        Assert.Equal(("model", "model"), (before.Scorer, after.Scorer));
        Assert.Null(after.Contributions);
        var movement = after.Movement!;
        Assert.NotEmpty(movement.Contributions);
        Assert.Contains(movement.Contributions, c => c.Feature == "days_since_last_activity" && c.Delta > 0);
        Assert.True(movement.Delta > 10, $"delta {movement.Delta}");

        var history = await Host.Services.GetRequiredService<IScoreHistory>().ReadAsync("test:M-1", CancellationToken.None);
        var (rawBefore, rawAfter) = (history[1].RawScore!.Value, history[0].RawScore!.Value);
        // Why a tolerance and not equality: the contributions are ML.NET's (at every split on the deal's path, its leaf
        // minus the leaf the other branch leads to), which are not additive: they sum to the raw score of no baseline, so
        // no exact bound exists and their deltas only approximate the raw delta. What the movement promises is that they
        // explain it: the same direction and 85-115 % of its size in raw (log-odds) terms, and, "within calibration", a
        // score rebuilt from the previous raw score plus their sum within a tenth of the score's move of the score served
        // (this seeded model and deal: raw delta 33.97, deltas sum 37.52, score 17 -> 76, rebuilt 81).
        var summed = movement.Contributions.Sum(c => c.Delta);
        var calibration = new PlattCalibration(TrainingData.Model.CalibrationA, TrainingData.Model.CalibrationB);
        var rebuilt = ModelScorer.RiskOf(calibration.Probability(rawBefore + summed));
        output.WriteLine($"raw {rawBefore:0.###} -> {rawAfter:0.###} (delta {rawAfter - rawBefore:0.###}), contribution deltas sum {summed:0.###}; score {before.Score} -> {after.Score}, rebuilt {rebuilt}");
        Assert.Equal(Math.Sign(rawAfter - rawBefore), Math.Sign(summed));
        Assert.InRange(summed, 0.85 * (rawAfter - rawBefore), 1.15 * (rawAfter - rawBefore));
        var tolerance = (int)Math.Ceiling(0.1 * Math.Abs(after.Score - before.Score));
        Assert.InRange(rebuilt, after.Score - tolerance, after.Score + tolerance);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_deal_whose_previous_model_score_had_no_reasons_computed_names_no_reason_new_and_says_why()
    {
        await Host.Store.Models.UpsertAsync(TrainingData.Model.ModelVersion, TrainingData.Model);
        await Host.Services.GetRequiredService<ServedModels>().ServeAsync(TrainingData.Model, "test", CancellationToken.None);
        var quiet = await ScoreInBatchAsync(Versioned("B-1", 1, DealStages.Proposal), Day,
            ("days_since_last_activity", 1), ("close_date_pushes", 0), ("contact_count", 4), ("deal_age_days", 60), ("amount", 30_000));
        var flagged = await ScoreInBatchAsync(Versioned("B-1", 2, DealStages.Proposal), Day.AddDays(30),
            ("days_since_last_activity", 58), ("close_date_pushes", 5), ("contact_count", 4), ("deal_age_days", 90), ("amount", 30_000));
        var fallen = await ScoreInBatchAsync(Versioned("B-1", 3, DealStages.Proposal), Day.AddDays(31),
            ("days_since_last_activity", 1), ("close_date_pushes", 0), ("contact_count", 4), ("deal_age_days", 91), ("amount", 30_000));

        Assert.Equal(("model", "model", "model"), (quiet.Scorer, flagged.Scorer, fallen.Scorer));
        Assert.DoesNotContain(quiet.Level, new[] { RiskLevels.High, RiskLevels.Critical });
        Assert.Contains(flagged.Level, new[] { RiskLevels.High, RiskLevels.Critical });
        Assert.DoesNotContain(fallen.Level, new[] { RiskLevels.High, RiskLevels.Critical });
        Assert.NotEmpty(flagged.Factors);
        var up = flagged.Movement!;
        Assert.Equal((quiet.Score, flagged.Score - quiet.Score), (up.PreviousScore, up.Delta));
        Assert.Empty(up.Added);
        Assert.Empty(up.Changed);
        Assert.Empty(up.Contributions);
        Assert.Contains($"the previous {quiet.Level} score's reasons were not computed, so none can be called new", up.Summary);
        Assert.Contains("no activity for 58 days", up.Summary);
        Assert.DoesNotContain("(new)", up.Summary);
        var down = fallen.Movement!;
        Assert.Empty(down.Removed);
        Assert.Empty(down.Contributions);
        Assert.Contains($"reasons are not computed for a {fallen.Level} score in the batch, so none can be called gone", down.Summary);
        Assert.DoesNotContain("no longer", down.Summary);

        var client = Host.Harness.GetRequestClient<GetDealScoreHistory>();
        var history = (await client.GetResponse<DealScoreHistoryFound>(new GetDealScoreHistory { Source = "test", ExternalId = "B-1" })).Message;
        Assert.Equal([up.Summary, down.Summary], history.Scores.Skip(1).Take(1).Concat(history.Scores.Take(1)).Select(score => score.Movement!.Summary));
        Assert.Empty(history.Scores[1].Movement!.Added);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_rescored_deal_below_high_is_compared_on_the_features_that_pushed_its_score_up()
    {
        await Host.Store.Models.UpsertAsync(TrainingData.Model.ModelVersion, TrainingData.Model);
        await Host.Services.GetRequiredService<ServedModels>().ServeAsync(TrainingData.Model, "test", CancellationToken.None);
        var quiet = await ScoreAsync(Versioned("R-1", 1, DealStages.Proposal), Day,
            ("days_since_last_activity", 1), ("close_date_pushes", 0), ("contact_count", 4), ("deal_age_days", 60), ("amount", 30_000));
        var flagged = await ScoreAsync(Versioned("R-1", 2, DealStages.Proposal), Day.AddDays(30),
            ("days_since_last_activity", 58), ("close_date_pushes", 5), ("contact_count", 4), ("deal_age_days", 90), ("amount", 30_000));

        Assert.DoesNotContain(quiet.Level, new[] { RiskLevels.High, RiskLevels.Critical });
        Assert.Contains(flagged.Level, new[] { RiskLevels.High, RiskLevels.Critical });
        var history = await Host.Services.GetRequiredService<IScoreHistory>().ReadAsync("test:R-1", CancellationToken.None);
        var pushedBefore = history[1].Contributions!.Where(c => c.Points > 0).Select(c => c.Signal).ToHashSet();
        var movement = flagged.Movement!;
        Assert.NotEmpty(movement.Contributions);
        Assert.Equal(flagged.Factors.Select(f => f.Signal).Where(signal => !pushedBefore.Contains(signal)).Order(), movement.Added.Select(s => s.Signal).Order());
        Assert.All(movement.Changed, signal => Assert.Contains(signal.Signal, pushedBefore));
        Assert.DoesNotContain("were not computed", movement.Summary);
    }

    private async Task<DealRiskScore> ScoreInBatchAsync(DealProfile deal, DateTimeOffset asOf, params (string Name, double? Value)[] values) =>
        Assert.Single((await ScoreChunkAsync(asOf, Vector(deal, values))).Published);

    /// <summary>The deals as one batch chunk of a new batch, and their scores as scoring published them.</summary>
    private async Task<(IReadOnlyList<DealRiskScore> Published, Guid BatchId)> ScoreChunkAsync(DateTimeOffset asOf, params DealFeatureVector[] vectors)
    {
        var batchId = Guid.NewGuid();
        var computed = Computed(vectors) with
        {
            AsOf = asOf,
            Batch = new BatchChunk { BatchId = batchId, AsOf = DateOnly.FromDateTime(asOf.UtcDateTime), ChunkIndex = 1 },
        };
        await Host.DeliverAsync(FeatureChunkComputed.Of(computed));
        return (Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId)).Scores, batchId);
    }

    private static DealProfile Versioned(string id, long version, string stage = DealStages.Qualified) => Deal(stage, id) with { Version = version };

    private Task<DealRiskScore> ScoreAsync(DealProfile deal, DateTimeOffset asOf, params (string Name, double? Value)[] values) =>
        ScoreAsync(deal, asOf, null, values);

    private async Task<DealRiskScore> ScoreAsync(DealProfile deal, DateTimeOffset asOf, ScoreTrigger? trigger, params (string Name, double? Value)[] values)
    {
        var computed = Computed(Vector(deal, values)) with { AsOf = asOf, Trigger = trigger };
        await Host.DeliverAsync(computed);
        return Assert.Single(Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId)).Scores);
    }
}
