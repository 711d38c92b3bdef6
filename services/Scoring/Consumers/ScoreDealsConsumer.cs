using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Scoring.History;
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
    ScoreTrail trail,
    TimeProvider time) : IConsumer<FeaturesComputed>
{
    public async Task Consume(ConsumeContext<FeaturesComputed> context)
    {
        var computed = context.Message;
        var lookup = await served.CurrentAsync(context.CancellationToken);
        if (lookup.Failure is { } failure)
            await FallBackAsync(context, lookup.RefusedVersion, failure, "model-refused", [], retrain: false);

        if (computed.Batch is { } chunk)
            lookup = await batchModels.ForBatchAsync(chunk.BatchId, lookup, context.CancellationToken);

        var model = lookup.Model;
        var scoredBy = lookup.ScoredBy;
        if (model is not null && computed.Batch is not null && drift.Shifted(model.Record, computed) is { Count: > 0 } shifted)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"input drift on {string.Join(", ", shifted.Select(s => $"{s.Feature} (PSI {s.Psi:0.00})"))} against model {model.Record.ModelVersion}'s training window: scoring fell back to rules and a retrain was requested");
            if (await served.ServeRulesInsteadOfAsync(model.Record.ModelVersion, message, context.CancellationToken))
                await FallBackAsync(context, model.Record.ModelVersion, message, "scoring-drift", shifted, retrain: true);
            model = null;
            scoredBy = ScorerStatement.Rules(message);
        }

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
        scored = scored with { Scores = await trail.RecordAsync(computed, scored.Scores, context.CancellationToken) };

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
        await context.Publish(new ScoringFellBackToRules
        {
            CorrelationId = context.CorrelationId ?? NewId.NextGuid(),
            ModelVersion = version,
            Reason = message,
            Drift = shifted,
            FellBackAt = now,
        }, context.CancellationToken);
        await context.Publish(new OperatorAlertRaised
        {
            CorrelationId = context.CorrelationId ?? NewId.NextGuid(),
            Kind = kind,
            Severity = "warning",
            Message = message,
            Source = ScoringServiceExtensions.ServiceName,
            RaisedAt = now,
        }, context.CancellationToken);
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
