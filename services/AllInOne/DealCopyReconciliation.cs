using System.Runtime.CompilerServices;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Ingestion.Deals;
using MassTransit;
using DealRisk.ServiceDefaults;

namespace DealRisk.AllInOne;

/// <summary>
/// Brings the feature service's deal copies up to every deal ingestion holds, through the resync the batch uses:
/// copies lost before (a host stopped with events queued) are published again and waited for.
/// </summary>
public sealed class DealCopyReconciliation(DealRepository deals, DealCopies copies, IBus bus)
{
    /// <returns>The deals still missing from the feature service afterwards.</returns>
    public Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken) =>
        copies.ReconcileAsync(HeldByIngestion(cancellationToken), resync => bus.SendCommandAsync(resync, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<DealRef> HeldByIngestion([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in deals.ClosedAsync(cancellationToken))
            yield return entry.Ref;
        await foreach (var entry in deals.NotClosedAsync(cancellationToken))
            yield return entry.Ref;
    }
}
