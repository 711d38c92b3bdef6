using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>
/// The real-time path: a deal changed in a way that can move its features, so they are recomputed on the deal as
/// ingestion stored it, as of an instant that includes every change stored, and sent on for scoring. The change's only
/// event (no DealSynced comes with it), so the deal copy the batch reads is stored here too.
/// </summary>
public sealed class RecomputeDealFeaturesConsumer(FeatureStore store, RealTimeWrites writes, DealCopies copies, FeatureContextCache contexts) : IConsumer<DealChanged>
{
    public async Task Consume(ConsumeContext<DealChanged> context)
    {
        var message = context.Message;
        var deal = message.Deal;
        // A burst for one deal is coalesced: a newer version already stored is scored now, and its own trigger then finds nothing newer to do.
        if (!await writes.SaveDealAsync(deal, context.CancellationToken)
            && await copies.GetAsync(deal.Source, deal.ExternalId, context.CancellationToken) is { } stored && stored.Version > deal.Version)
            deal = stored;
        var asOf = RescoreInstant.Of(deal, message.ChangedAt);
        var featureContext = await contexts.GetAsync(context.CancellationToken);
        var vector = DealFeaturizer.Featurize(deal, asOf, featureContext);
        var id = DealKey.Of(deal.Source, deal.ExternalId);
        // Features of this trigger's own version stored already may mean a redelivery after a crash before the publish:
        // publish them again (scoring is idempotent by version). A stale trigger coalesced into a newer version has nothing to add.
        if (!await writes.SaveFeaturesAsync(vector, context.CancellationToken)
            && (deal.Version != message.Deal.Version || (await store.LatestFeatures.GetAsync(id, context.CancellationToken))?.Deal.Version > deal.Version))
            return;

        await context.Publish(new FeaturesComputed
        {
            CorrelationId = message.CorrelationId,
            AsOf = asOf,
            FeatureNames = RiskSignals.Names,
            Deals = [vector],
            Trigger = new ScoreTrigger
            {
                Kind = ScoreTrigger.CrmChangeKind,
                Source = message.Origin,
                EventId = message.CorrelationId.ToString(),
                At = message.ChangedAt,
                Changes = message.Changes,
            },
        }, context.CancellationToken);
    }
}

public sealed class RecomputeDealFeaturesConsumerDefinition : ConsumerDefinition<RecomputeDealFeaturesConsumer>
{
    /// <summary>
    /// Enough messages at once to fill a combined write group and overlap the broker's confirms; beyond that, on two
    /// cores, more only interleaves their CPU work so that each waits longer (the prefetch of 128 all ran at once before).
    /// </summary>
    public const int ConcurrentMessages = 16;

    public RecomputeDealFeaturesConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMessages;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RecomputeDealFeaturesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
