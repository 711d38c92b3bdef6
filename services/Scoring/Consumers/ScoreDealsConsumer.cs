using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.Storage;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>
/// Scores what the feature service computed, one deal or a batch chunk, with the served model or else the rules,
/// and publishes the scores. A model that cannot be loaded, or whose inputs drifted, hands over to the rules loudly.
/// </summary>
public sealed class ScoreDealsConsumer(
    RuleScorer rules,
    ModelScorer modelScorer,
    ServedModels served,
    BatchModels batchModels,
    DriftMonitor drift,
    ScoreStore store,
    TimeProvider time) : IConsumer<FeaturesComputed>
{
    public async Task Consume(ConsumeContext<FeaturesComputed> context)
    {
        var computed = context.Message;
        var lookup = await served.CurrentAsync(context.CancellationToken);
        if (lookup.Failure is { } failure)
            await FallBackAsync(context, lookup.RefusedVersion, failure, "model-refused", [], retrain: false);

        if (computed.Batch is { } chunk)
        {
            // Drift seen in a chunk proposes the rules for its batch; whichever chunk pins the batch first decides for all of it.
            var shifted = lookup.Model is { } current && drift.Shifted(current.Record, computed) is { Count: > 0 } found ? found : null;
            var message = shifted is null ? null : string.Create(CultureInfo.InvariantCulture,
                $"input drift on {string.Join(", ", shifted.Select(s => $"{s.Feature} (PSI {s.Psi:0.00})"))} against model {lookup.Model!.Record.ModelVersion}'s training window: scoring fell back to rules and a retrain was requested");
            var drifted = lookup.Model;
            lookup = await batchModels.ForBatchAsync(chunk.BatchId, shifted is null ? lookup : new ServedModelLookup(null, RulesReason: message), context.CancellationToken);
            if (drifted is not null && shifted is not null && await served.ServeRulesInsteadOfAsync(drifted.Record.ModelVersion, message!, context.CancellationToken))
                await FallBackAsync(context, drifted.Record.ModelVersion, message!, "scoring-drift", shifted, retrain: true);
        }

        var model = lookup.Model;
        var scoredBy = lookup.ScoredBy;

        var scored = new DealScored
        {
            CorrelationId = computed.CorrelationId,
            AsOf = computed.AsOf,
            Batch = computed.Batch,
            Scorer = model is null ? RuleScorer.ScorerName : ModelScorer.ScorerName,
            ModelVersion = model?.Record.ModelVersion,
            ScoredBy = scoredBy,
            Scores = model is null ? rules.Score(computed) : modelScorer.Score(computed, model, batch: computed.Batch is not null),
        };

        if (computed.Batch is { } batch)
        {
            await store.ScoreChunks.UpsertAsync(ScoreStore.ChunkId(batch), scored, context.CancellationToken);
        }
        else
        {
            foreach (var score in scored.Scores)
                await store.LatestScores.UpsertIfNewerAsync(DealKey.Of(score.Deal), score.Deal.Version, score, context.CancellationToken);
        }

        await context.Publish(scored, context.CancellationToken);
        ScoringMetrics.Record(scored, model?.Record, time.GetUtcNow());
    }

    private async Task FallBackAsync(ConsumeContext context, string? version, string message, string kind, IReadOnlyList<FeatureDrift> shifted, bool retrain)
    {
        var now = time.GetUtcNow();
        await RulesFallback.AnnounceAsync(context, version, message, kind, shifted, now);
        if (retrain)
            await context.Publish(new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = message, RequestedAt = now }, context.CancellationToken);
    }
}

public sealed class ScoreDealsConsumerDefinition : ConsumerDefinition<ScoreDealsConsumer>
{
    public ScoreDealsConsumerDefinition() => ConcurrentMessageLimit = 4;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreDealsConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
