using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.Scoring.History;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.TrackRecord;
using MassTransit;
using DealRisk.ServiceDefaults;

namespace DealRisk.Scoring.Consumers;

/// <summary>
/// Scores what the feature service computed, one deal or a batch chunk, with the served model (the batch's pinned one
/// for a chunk) or else the rules. A model that cannot be loaded hands over to the rules loudly; so does one whose
/// inputs drifted across a whole batch (<see cref="BatchDrift"/>).
/// </summary>
public sealed class FeatureScoring(
    RuleScorer rules,
    ModelScorer modelScorer,
    ServedModels served,
    BatchModels batchModels,
    BatchDrift batchDrift,
    TrackRecordKeeper trackRecord,
    ScoreTrail trail,
    TimeProvider time)
{
    public async Task<DealScored> ScoreAsync(FeaturesComputed computed, ConsumeContext context)
    {
        var cancellationToken = context.CancellationToken;
        var lookup = await served.CurrentAsync(cancellationToken);
        if (lookup.Failure is { } failure)
            await RulesFallback.AnnounceAsync(context, lookup.RefusedVersion, failure, "model-refused", [], time.GetUtcNow());

        if (computed.Batch is { } chunk)
            lookup = await batchModels.ForBatchAsync(chunk.BatchId, lookup, cancellationToken);

        var model = lookup.Model;
        IReadOnlyList<DealRiskScore> scores;
        using (ChunkStep(computed, "score"))
            scores = model is null ? rules.Score(computed) : modelScorer.Score(computed, model, batch: computed.Batch is not null);
        using (ChunkStep(computed, "history"))
            scores = await trail.RecordAsync(computed, scores, cancellationToken);
        var scored = new DealScored
        {
            CorrelationId = computed.CorrelationId,
            AsOf = computed.AsOf,
            Batch = computed.Batch,
            Scorer = model is null ? RuleScorer.ScorerName : ModelScorer.ScorerName,
            ModelVersion = model?.Record.ModelVersion,
            ScoredBy = lookup.ScoredBy,
            Scores = scores,
        };
        if (computed.Batch is { } scoredChunk)
        {
            if (await trackRecord.AfterBatchChunkAsync(scored, cancellationToken) is { } updated)
                await context.Publish(updated, cancellationToken);
            await batchDrift.AfterChunkAsync(context, scoredChunk, model?.Record, computed);
        }
        ScoringMetrics.Record(scored, model?.Record, time.GetUtcNow());
        return scored;
    }

    /// <summary>A span for one step of a batch chunk (its scores, its history), so a trace shows where a chunk's time went; single-deal rescores stay as they are.</summary>
    private static Activity? ChunkStep(FeaturesComputed computed, string step) =>
        computed.Batch is not { } chunk ? null : DealRiskTelemetry.Source.StartActivity($"score-deal-chunk {step}")
            ?.SetTag("dealrisk.batch_id", chunk.BatchId.ToString())
            .SetTag("dealrisk.chunk_index", chunk.ChunkIndex)
            .SetTag("dealrisk.deals", computed.Deals.Count);
}
