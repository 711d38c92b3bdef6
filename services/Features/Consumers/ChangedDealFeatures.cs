using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;

namespace DealRisk.Features.Consumers;

/// <summary>
/// The real-time path for one change that can move a deal's features: the deal copy stored, the features recomputed on
/// the deal as ingestion stored it, as of an instant that includes every change stored, and stored as the deal's latest;
/// returns what to send on for scoring, or null when there is nothing new to score.
/// </summary>
public sealed class ChangedDealFeatures(FeatureStore store, RealTimeWrites writes, DealCopies copies, FeatureContextCache contexts)
{
    public async Task<FeaturesComputed?> ComputeAsync(DealChanged message, CancellationToken cancellationToken)
    {
        var deal = message.Deal;
        // A burst for one deal is coalesced: a newer version already stored is scored now, and its own trigger then finds nothing newer to do.
        if (!await writes.SaveDealAsync(deal, cancellationToken)
            && await copies.GetAsync(deal.Source, deal.ExternalId, cancellationToken) is { } stored && stored.Version > deal.Version)
            deal = stored;
        var asOf = RescoreInstant.Of(deal, message.ChangedAt);
        var featureContext = await contexts.GetAsync(cancellationToken);
        var vector = DealFeaturizer.Featurize(deal, asOf, featureContext);
        var id = DealKey.Of(deal.Source, deal.ExternalId);
        // Features of this trigger's own version stored already may mean a redelivery after a crash before the publish:
        // publish them again (scoring is idempotent by version). A stale trigger coalesced into a newer version has nothing to add.
        if (!await writes.SaveFeaturesAsync(vector, cancellationToken)
            && (deal.Version != message.Deal.Version || (await store.LatestFeatures.GetAsync(id, cancellationToken))?.Deal.Version > deal.Version))
            return null;

        return new FeaturesComputed
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
        };
    }
}
