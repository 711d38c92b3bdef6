using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>The real-time path: a deal changed stage, so its features are recomputed as of the change and sent on for scoring.</summary>
public sealed class RecomputeDealFeaturesConsumer(FeatureStore store, DealCopies copies, FeatureContextCache contexts) : IConsumer<DealStageChanged>
{
    public async Task Consume(ConsumeContext<DealStageChanged> context)
    {
        var deal = context.Message.Deal;
        var id = DealKey.Of(deal.Source, deal.ExternalId);
        await copies.SaveAsync(deal, context.CancellationToken);
        var featureContext = await contexts.GetAsync(context.CancellationToken);
        var vector = DealFeaturizer.Featurize(deal, context.Message.ChangedAt, featureContext);
        // The same version stored already may be a redelivery after a crash before the publish: publish it again.
        if (!await store.LatestFeatures.UpsertIfNewerAsync(id, deal.Version, vector, context.CancellationToken)
            && (await store.LatestFeatures.GetAsync(id, context.CancellationToken))?.Deal.Version > deal.Version)
            return;

        await context.Publish(new FeaturesComputed
        {
            CorrelationId = context.Message.CorrelationId,
            AsOf = context.Message.ChangedAt,
            FeatureNames = FeatureNames.All,
            Deals = [vector],
        }, context.CancellationToken);
    }
}

public sealed class RecomputeDealFeaturesConsumerDefinition : ConsumerDefinition<RecomputeDealFeaturesConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RecomputeDealFeaturesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
