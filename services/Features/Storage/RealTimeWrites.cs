using DealRisk.Contracts;
using DealRisk.Storage;

namespace DealRisk.Features.Storage;

/// <summary>
/// The real-time consumers' writes (deal copies from <c>DealSynced</c> and <c>DealChanged</c>, each deal's latest
/// features), combined across concurrent messages into one transaction per group.
/// </summary>
public sealed class RealTimeWrites(FeatureStore store, DealCopyStore copies) : IDisposable
{
    private readonly CombinedVersionedWrites<BinaryRow> _deals = new(
        rows => copies.SaveManyIfNewerAsync(rows, CancellationToken.None),
        row => copies.SaveIfNewerAsync(row, CancellationToken.None),
        row => (row.Id, row.Version));

    private readonly CombinedVersionedWrites<VersionedDocument<DealFeatureVector>> _features = new(
        documents => store.LatestFeatures.UpsertManyIfNewerAsync(documents),
        document => store.LatestFeatures.UpsertIfNewerAsync(document.Id, document.Version, document.Document),
        document => (document.Id, document.Version));

    /// <summary>Stores the deal copy unless the stored one is as new; returns whether it wrote.</summary>
    public Task<bool> SaveDealAsync(DealSnapshot deal, CancellationToken cancellationToken) =>
        _deals.UpsertIfNewerAsync(DealCopyStore.Encode(deal), cancellationToken);

    /// <summary>Stores the deal's features unless features of its version or a newer one are stored; returns whether it wrote.</summary>
    public Task<bool> SaveFeaturesAsync(DealFeatureVector features, CancellationToken cancellationToken) =>
        _features.UpsertIfNewerAsync(
            new VersionedDocument<DealFeatureVector>(DealKey.Of(features.Deal.Source, features.Deal.ExternalId), features.Deal.Version, features),
            cancellationToken);

    public void Dispose()
    {
        _deals.Dispose();
        _features.Dispose();
    }
}
