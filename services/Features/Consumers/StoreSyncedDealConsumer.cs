using DealRisk.Contracts;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>Keeps the feature store's own copy of every deal and its history current; older versions are ignored.</summary>
public sealed class StoreSyncedDealConsumer(FeatureStore store) : IConsumer<DealSynced>
{
    public Task Consume(ConsumeContext<DealSynced> context)
    {
        var deal = context.Message.Deal;
        return store.Deals.UpsertIfNewerAsync(FeatureStore.DealId(deal.Source, deal.ExternalId), deal.Version, deal, context.CancellationToken);
    }
}
