using System.Diagnostics;
using System.Globalization;
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
/// for a chunk) or else the rules. A model that cannot be loaded, or whose inputs drifted, hands over to the rules loudly.
/// </summary>
public sealed class FeatureScoring(
    RuleScorer rules,
    ModelScorer modelScorer,
    ServedModels served,
    BatchModels batchModels,
    DriftMonitor drift,
    TrackRecordKeeper trackRecord,
    ScoreTrail trail,
    TimeProvider time)
{
    public async Task<DealScored> ScoreAsync(FeaturesComputed computed, ConsumeContext context)
    {
        var cancellationToken = context.CancellationToken;
        var lookup = await served.CurrentAsync(cancellationToken);
        if (lookup.Failure is { } failure)
            await FallBackAsync(context, lookup.RefusedVersion, failure, "model-refused", [], retrain: false);

        ServedRiskModel? drifted = null;
        if (computed.Batch is { } chunk)
        {
            // Drift seen in a chunk proposes the rules for its batch; whichever chunk pins the batch first decides for all of it.
            var shifted = lookup.Model is { } current && drift.Shifted(current.Record, computed) is { Count: > 0 } found ? found : null;
            var message = shifted is null ? null : string.Create(CultureInfo.InvariantCulture,
                $"input drift on {string.Join(", ", shifted.Select(s => $"{s.Feature} (PSI {s.Psi:0.00})"))} against model {lookup.Model!.Record.ModelVersion}'s training window: scoring fell back to rules and a retrain was requested");
            drifted = shifted is null ? null : lookup.Model;
            lookup = await batchModels.ForBatchAsync(chunk.BatchId, shifted is null ? lookup : new ServedModelLookup(null, RulesReason: message), cancellationToken);
            if (drifted is not null && await served.ServeRulesInsteadOfAsync(drifted.Record.ModelVersion, message!, cancellationToken))
                await FallBackAsync(context, drifted.Record.ModelVersion, message!, "scoring-drift", shifted!, retrain: true);
        }

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
        if (computed.Batch is not null && await trackRecord.AfterBatchChunkAsync(scored, (model ?? drifted)?.Record, computed, cancellationToken) is { } updated)
            await context.Publish(updated, cancellationToken);
        ScoringMetrics.Record(scored, model?.Record, time.GetUtcNow());
        return scored;
    }

    /// <summary>A span for one step of a batch chunk (its scores, its history), so a trace shows where a chunk's time went; single-deal rescores stay as they are.</summary>
    private static Activity? ChunkStep(FeaturesComputed computed, string step) =>
        computed.Batch is not { } chunk ? null : DealRiskTelemetry.Source.StartActivity($"score-deal-chunk {step}")
            ?.SetTag("dealrisk.batch_id", chunk.BatchId.ToString())
            .SetTag("dealrisk.chunk_index", chunk.ChunkIndex)
            .SetTag("dealrisk.deals", computed.Deals.Count);

    private async Task FallBackAsync(ConsumeContext context, string? version, string message, string kind, IReadOnlyList<FeatureDrift> shifted, bool retrain)
    {
        var now = time.GetUtcNow();
        await RulesFallback.AnnounceAsync(context, version, message, kind, shifted, now);
        if (retrain)
            await context.SendCommandAsync(new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = message, RequestedAt = now }, context.CancellationToken);
    }
}
