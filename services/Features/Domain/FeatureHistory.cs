using DealRisk.Contracts;
using DealRisk.Features.Storage;

namespace DealRisk.Features.Domain;

/// <summary>
/// Reproduces a deal's features as a past daily batch computed them: the deal copy rewound to the end of that day,
/// against the statistics that batch stored. Batch chunks are kept too, so both can be compared.
/// </summary>
public sealed class FeatureHistory(FeatureStore store, DealCopyStore copies)
{
    public async Task<DealFeatureVector?> AsOfBatchAsync(string source, string externalId, DateOnly day, CancellationToken cancellationToken)
    {
        var deal = await copies.GetAsync(source, externalId, cancellationToken);
        if (deal is null || deal.CreatedAt > AsOfClock.EndOf(day))
            return null;

        BatchStatistics? statistics = null;
        await foreach (var stored in store.Statistics.ScanAsync(cancellationToken))
        {
            if (stored.AsOf == day)
            {
                statistics = stored;
                break;
            }
        }
        return statistics is null ? null : DealFeaturizer.Featurize(deal, AsOfClock.EndOf(day), new FeatureContext(statistics.Statistics));
    }
}
