using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>Remembers the promoted model for the report's and dashboard's model status; an older event never overwrites a newer one.</summary>
public sealed class TrackModelPromotionConsumer(NotificationStore store) : IConsumer<ModelPromoted>
{
    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        var promoted = context.Message;
        return store.ModelStatus.UpsertIfNewerAsync(ModelStatus.CurrentId, promoted.PromotedAt.UtcTicks, new ModelStatus
        {
            ServingRules = false,
            ModelVersion = promoted.ModelVersion,
            Trainer = promoted.Trainer,
            Metrics = promoted.Metrics,
            FeatureImportances = promoted.FeatureImportances,
            Since = promoted.PromotedAt,
        }, context.CancellationToken);
    }
}

/// <summary>Remembers that scoring fell back to the rules, with the reason and drift, for the model status.</summary>
public sealed class TrackScoringFallbackConsumer(NotificationStore store) : IConsumer<ScoringFellBackToRules>
{
    public async Task Consume(ConsumeContext<ScoringFellBackToRules> context)
    {
        var fallback = context.Message;
        var previous = await store.ModelStatus.GetAsync(ModelStatus.CurrentId, context.CancellationToken);
        await store.ModelStatus.UpsertIfNewerAsync(ModelStatus.CurrentId, fallback.FellBackAt.UtcTicks, new ModelStatus
        {
            ServingRules = true,
            ModelVersion = fallback.ModelVersion,
            Metrics = previous?.Metrics,
            FallbackReason = fallback.Reason,
            Drift = fallback.Drift,
            Since = fallback.FellBackAt,
        }, context.CancellationToken);
    }
}
