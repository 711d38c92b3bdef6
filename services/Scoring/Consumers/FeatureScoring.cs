using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using MassTransit;

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
    TimeProvider time)
{
    public async Task<DealScored> ScoreAsync(FeaturesComputed computed, IPublishEndpoint publish, Guid? correlationId, CancellationToken cancellationToken)
    {
        var lookup = await served.CurrentAsync(cancellationToken);
        if (lookup.Failure is { } failure)
            await FallBackAsync(publish, correlationId, lookup.RefusedVersion, failure, "model-refused", [], retrain: false, cancellationToken);

        if (computed.Batch is { } chunk)
            lookup = await batchModels.ForBatchAsync(chunk.BatchId, lookup, cancellationToken);

        var model = lookup.Model;
        var scoredBy = lookup.ScoredBy;
        if (model is not null && computed.Batch is not null && drift.Shifted(model.Record, computed) is { Count: > 0 } shifted)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"input drift on {string.Join(", ", shifted.Select(s => $"{s.Feature} (PSI {s.Psi:0.00})"))} against model {model.Record.ModelVersion}'s training window: scoring fell back to rules and a retrain was requested");
            if (await served.ServeRulesInsteadOfAsync(model.Record.ModelVersion, message, cancellationToken))
                await FallBackAsync(publish, correlationId, model.Record.ModelVersion, message, "scoring-drift", shifted, retrain: true, cancellationToken);
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
        ScoringMetrics.Record(scored, model?.Record, time.GetUtcNow());
        return scored;
    }

    private async Task FallBackAsync(
        IPublishEndpoint publish, Guid? correlationId, string? version, string message, string kind, IReadOnlyList<FeatureDrift> shifted, bool retrain,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await publish.Publish(new ScoringFellBackToRules
        {
            CorrelationId = correlationId ?? NewId.NextGuid(),
            ModelVersion = version,
            Reason = message,
            Drift = shifted,
            FellBackAt = now,
        }, cancellationToken);
        await publish.Publish(new OperatorAlertRaised
        {
            CorrelationId = correlationId ?? NewId.NextGuid(),
            Kind = kind,
            Severity = "warning",
            Message = message,
            Source = ScoringServiceExtensions.ServiceName,
            RaisedAt = now,
        }, cancellationToken);
        if (retrain)
            await publish.Publish(new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = message, RequestedAt = now }, cancellationToken);
    }
}
