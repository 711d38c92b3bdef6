using System.Collections.Concurrent;
using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Scoring.Rules;
using MassTransit;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ScoreDealsConsumerTests : ScoringHostTest
{
    private static readonly RuleScorer Scorer = new(RuleSet.Default());

    [Fact]
    public async Task A_batch_chunk_is_scored_into_one_binary_score_chunk_with_the_same_batch_and_one_score_per_deal()
    {
        var computed = BatchChunk(chunkIndex: 2);

        await Host.DeliverAsync(computed);

        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Equal(computed.Batch, scored.Batch);
        Assert.Equal(computed.AsOf, scored.AsOf);
        Assert.Equal(RuleScorer.ScorerName, scored.Scorer);
        Assert.Null(scored.ModelVersion);
        Assert.Equal("rules: no model trained yet", scored.ScoredBy);
        Assert.Equal(["B-1", "B-2", "B-3"], scored.Scores.Select(score => score.Deal.ExternalId));
        Assert.NotEmpty(scored.Scores);
        Assert.All(scored.Scores, score => Assert.Equal("rules", score.Scorer));
        Assert.Equal(Scorer.Score(computed).Select(score => (score.Score, score.Level, score.Action)), scored.Scores.Select(score => (score.Score, score.Level, score.Action)));
        Assert.Equal([30, 0, 55], scored.Scores.Select(score => score.Score));

        var chunk = Assert.Single(Host.PublishedSoFar<DealChunkScored>(), message => message.CorrelationId == computed.CorrelationId);
        Assert.Equal(3, chunk.DealCount);
        Assert.Equal(Scorer.Score(computed).Select(score => Factors(score.Factors)), scored.Scores.Select(score => Factors(score.Factors)));
        Assert.Empty(Host.PublishedSoFar<DealScored>());
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_chunk_delivered_twice_is_scored_the_same_both_times()
    {
        var computed = BatchChunk(chunkIndex: 0);

        await Host.DeliverAsync(computed);
        await Host.DeliverAsync(computed);

        var scored = Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId);
        Assert.Equal(2, scored.Count);
        Assert.Equal(Summary(scored[0]), Summary(scored[1]));
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_single_deal_rescore_is_published_as_a_DealScored_without_a_batch()
    {
        var computed = Computed(Vector(Deal(DealStages.Demo, "RT-1") with { Version = 4 }, ("deal_age_days", 45), ("partner_lead", 1)));

        await Host.DeliverAsync(computed);

        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Null(scored.Batch);
        var score = Assert.Single(scored.Scores);
        Assert.Equal((25, RiskLevels.Low, "Verify buyer authority + SE review"), (score.Score, score.Level, score.Action));
        Assert.Equal(4L, score.Deal.Version);
        Assert.Empty(Host.PublishedSoFar<DealChunkScored>());
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_chunk_records_a_span_for_its_scores_and_one_for_its_history_inside_its_consume_span()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is DealRiskTelemetry.SourceName or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var computed = BatchChunk(chunkIndex: 4);

        await Host.DeliverAsync(computed);

        var steps = stopped.Where(activity => activity.Source.Name == DealRiskTelemetry.SourceName
            && activity.GetTagItem("dealrisk.batch_id") as string == computed.Batch!.BatchId.ToString()).ToList();
        Assert.Equal(["score-deal-chunk score", "score-deal-chunk history"], steps.Select(step => step.DisplayName));
        Assert.All(steps, step =>
        {
            Assert.Equal((4, 3), ((int?)step.GetTagItem("dealrisk.chunk_index"), (int?)step.GetTagItem("dealrisk.deals")));
            Assert.Equal(("MassTransit", ActivityKind.Consumer), (step.Parent?.Source.Name, step.Parent?.Kind));
        });
        Assert.Same(steps[0].Parent, steps[1].Parent);
        Assert.True(steps[0].StartTimeUtc + steps[0].Duration <= steps[1].StartTimeUtc, "the history span starts once the scores are computed");
    }

    [Fact]
    public async Task A_chunk_whose_payload_cannot_be_read_faults_with_the_reason_and_publishes_no_scores()
    {
        var computed = FeatureChunkComputed.Of(BatchChunk(chunkIndex: 0));
        var truncated = computed with { Payload = computed.Payload[..(computed.Payload.Length / 2)] };

        await Host.DeliverAsync(truncated);

        var fault = Assert.Single(Host.PublishedSoFar<Fault<FeatureChunkComputed>>());
        Assert.Contains("Invalid batch chunk payload", Assert.Single(fault.Exceptions).Message);
        Assert.Empty(Host.PublishedSoFar<DealChunkScored>());
    }

    [Fact]
    public async Task A_single_deal_rescore_is_scored_while_batch_chunks_hold_every_batch_slot_and_more_wait()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = Host.Harness.Bus.ConnectConsumeMessageObserver(new HoldChunks(release.Task));
        var chunks = Enumerable.Range(0, 6).Select(BatchChunk).ToList();
        foreach (var chunk in chunks)
            await Host.Harness.Bus.Publish(FeatureChunkComputed.Of(chunk));
        var rescore = Computed(Vector(Deal(DealStages.Demo, "RT-2") with { Version = 2 }, ("deal_age_days", 95)));

        await Host.Harness.Bus.Publish(rescore);

        Assert.True(await EventuallyAsync(() => Host.ScoredSoFar(message => message.CorrelationId == rescore.CorrelationId).Count == 1),
            "the rescore waited behind the batch chunks");
        Assert.Empty(Host.PublishedSoFar<DealChunkScored>());
        release.SetResult();
        Assert.True(await EventuallyAsync(() => Host.PublishedSoFar<DealChunkScored>().Count == chunks.Count), "the held chunks were not scored once released");
        Host.AssertNoFaults();
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>Holds every batch chunk in its consumer until released, as a long batch keeps the scoring slots busy.</summary>
    private sealed class HoldChunks(Task released) : MassTransit.IConsumeMessageObserver<FeatureChunkComputed>
    {
        public Task PreConsume(MassTransit.ConsumeContext<FeatureChunkComputed> context) => released;

        public Task PostConsume(MassTransit.ConsumeContext<FeatureChunkComputed> context) => Task.CompletedTask;

        public Task ConsumeFault(MassTransit.ConsumeContext<FeatureChunkComputed> context, Exception exception) => Task.CompletedTask;
    }

    private static string Factors(IReadOnlyList<ScoreReason> factors) =>
        string.Join(";", factors.Select(f => $"{f.Signal}={f.Value}:{f.Points}:{f.Rule}"));

    private static FeaturesComputed BatchChunk(int chunkIndex) => Computed(
            Vector(Deal(id: "B-1"), ("deal_age_days", 95)),
            Vector(Deal(id: "B-2"), ("deal_age_days", 5)),
            Vector(Deal(id: "B-3"), ("deal_age_days", 95), ("rep_win_rate_percentile", 0.05))) with
        {
            Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = new DateOnly(2025, 6, 30), ChunkIndex = chunkIndex },
        };

    private static string Summary(DealScored scored) =>
        string.Join("|", scored.Scores.Select(score => $"{score.Deal.ExternalId} {score.Score} {score.Level} {string.Join(";", score.Reasons)} {score.Action}"));
}
