using DealRisk.Contracts;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.Storage;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ScoreDealsConsumerTests : IAsyncLifetime
{
    private static readonly RuleScorer Scorer = new(RuleSet.Default());

    private ScoringHost _host = null!;

    public async Task InitializeAsync() => _host = await ScoringHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_batch_chunk_is_scored_into_one_DealScored_with_the_same_batch_and_one_score_per_deal()
    {
        var computed = BatchChunk(chunkIndex: 2);

        await _host.DeliverAsync(computed);

        var scored = Assert.Single(_host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
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

        var stored = await _host.Store.ScoreChunks.GetAsync(ScoreStore.ChunkId(computed.Batch!));
        Assert.Equal(3, stored!.Scores.Count);
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_chunk_delivered_twice_is_stored_once_and_scored_the_same_both_times()
    {
        var computed = BatchChunk(chunkIndex: 0);

        await _host.DeliverAsync(computed);
        await _host.DeliverAsync(computed);

        var scored = _host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId);
        Assert.Equal(2, scored.Count);
        Assert.Equal(Summary(scored[0]), Summary(scored[1]));
        Assert.Equal(1, await _host.Store.ScoreChunks.CountAsync());
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_single_deal_rescore_is_published_without_a_batch_and_kept_as_the_deal_latest_score()
    {
        var computed = Computed(Vector(Deal(DealStages.Demo, "RT-1") with { Version = 4 }, ("deal_age_days", 45), ("partner_lead", 1)));

        await _host.DeliverAsync(computed);

        var scored = Assert.Single(_host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Null(scored.Batch);
        var score = Assert.Single(scored.Scores);
        Assert.Equal((25, RiskLevels.Low, "Verify buyer authority + SE review"), (score.Score, score.Level, score.Action));
        var latest = await _host.Store.LatestScores.GetAsync("test:RT-1");
        Assert.Equal((4L, 25), (latest!.Deal.Version, latest.Score));
        _host.AssertNoFaults();
    }

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
