using DealRisk.Contracts;

namespace DealRisk.Features.Storage;

/// <summary>
/// The real-time consumers' writes (deal copies from <c>DealSynced</c> and <c>DealChanged</c>, each deal's latest
/// features), combined across concurrent messages into one transaction per group.
/// </summary>
public sealed class RealTimeWrites(FeatureStore store) : IDisposable
{
    private readonly CombinedVersionedWrites<DealSnapshot> _deals = new(store.Deals);
    private readonly CombinedVersionedWrites<DealFeatureVector> _features = new(store.LatestFeatures);

    /// <summary>Stores the deal copy unless the stored one is as new; returns whether it wrote.</summary>
    public Task<bool> SaveDealAsync(DealSnapshot deal, CancellationToken cancellationToken) =>
        _deals.UpsertIfNewerAsync(DealKey.Of(deal.Source, deal.ExternalId), deal.Version, deal, cancellationToken);

    /// <summary>Stores the deal's features unless features of its version or a newer one are stored; returns whether it wrote.</summary>
    public Task<bool> SaveFeaturesAsync(DealFeatureVector features, CancellationToken cancellationToken) =>
        _features.UpsertIfNewerAsync(DealKey.Of(features.Deal.Source, features.Deal.ExternalId), features.Deal.Version, features, cancellationToken);

    public void Dispose()
    {
        _deals.Dispose();
        _features.Dispose();
    }
}
