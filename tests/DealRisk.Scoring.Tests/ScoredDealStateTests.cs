using DealRisk.Contracts;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

/// <summary>Each published score says what it was computed on, so a stale score can be told from a fresh one.</summary>
public sealed class ScoredDealStateTests : ScoringHostTest
{
    [Fact]
    public async Task Every_score_carries_the_deal_version_stage_and_days_in_stage_it_was_computed_on()
    {
        var rescore = Computed(Vector(Deal(DealStages.Demo, "S-1") with { Version = 7, DaysInStage = 0 }, ("deal_age_days", 45), ("days_in_stage", 0)));
        var chunk = Computed(
            Vector(Deal(DealStages.Negotiation, "S-2") with { Version = 3, DaysInStage = 61 }, ("deal_age_days", 95), ("days_in_stage", 61)),
            Vector(Deal(DealStages.Proposal, "S-3") with { Version = 12, DaysInStage = 4 }, ("deal_age_days", 20), ("days_in_stage", 4))) with
        {
            Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = new DateOnly(2025, 6, 30), ChunkIndex = 0 },
        };

        await Host.DeliverAsync(rescore);
        await Host.DeliverAsync(chunk);

        var scores = Host.ScoredSoFar(message => message.CorrelationId == rescore.CorrelationId || message.CorrelationId == chunk.CorrelationId)
            .SelectMany(message => message.Scores)
            .Select(score => (score.Deal.ExternalId, score.Deal.Version, score.Deal.Stage, score.Deal.DaysInStage))
            .Order();
        Assert.Equal([("S-1", 7L, DealStages.Demo, (int?)0), ("S-2", 3L, DealStages.Negotiation, 61), ("S-3", 12L, DealStages.Proposal, 4)], scores);
        Host.AssertNoFaults();
    }
}
