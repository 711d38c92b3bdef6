using DealRisk.Ingestion.Deals;
using DealRisk.SyntheticCrm;

namespace DealRisk.AllInOne;

/// <summary>Keeps the generated sample out of a store that holds a user's imported deals, where it would mix with them.</summary>
public sealed class GeneratedSampleGuard(DealRepository deals)
{
    /// <returns>How many stored deals came from somewhere other than the generator.</returns>
    public async Task<long> ImportedDealsAsync(CancellationToken cancellationToken)
    {
        long imported = 0;
        await foreach (var entry in deals.ClosedAsync(cancellationToken))
            if (entry.Source != SyntheticCrmGenerator.Source) imported++;
        await foreach (var entry in deals.NotClosedAsync(cancellationToken))
            if (entry.Source != SyntheticCrmGenerator.Source) imported++;
        return imported;
    }
}
