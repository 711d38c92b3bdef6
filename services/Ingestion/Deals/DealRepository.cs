using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>The canonical deals ingestion owns, one document per deal, newest version wins.</summary>
public sealed class DealRepository([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<DealSnapshot> _deals = store.GetCollection<DealSnapshot>("deals", "isClosed");

    public Task<DealSnapshot?> GetAsync(string source, string externalId, CancellationToken cancellationToken) =>
        _deals.GetAsync(DealKey.Of(source, externalId), cancellationToken);

    public Task<bool> SaveAsync(DealSnapshot deal, CancellationToken cancellationToken) =>
        _deals.UpsertIfNewerAsync(DealKey.Of(deal.Source, deal.ExternalId), deal.Version, deal, cancellationToken);

    public Task SaveManyAsync(IReadOnlyCollection<DealSnapshot> deals, CancellationToken cancellationToken) =>
        _deals.UpsertManyAsync(
            deals.Select(deal => KeyValuePair.Create(DealKey.Of(deal.Source, deal.ExternalId), deal)).ToList(),
            cancellationToken);

    public IAsyncEnumerable<DealSnapshot> AllAsync(CancellationToken cancellationToken) => _deals.ScanAsync(cancellationToken);

    public IAsyncEnumerable<DealSnapshot> ClosedAsync(CancellationToken cancellationToken) => _deals.FindAsync("isClosed", true, cancellationToken);

    public IAsyncEnumerable<DealSnapshot> NotClosedAsync(CancellationToken cancellationToken) => _deals.FindAsync("isClosed", false, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) => _deals.CountAsync(ct: cancellationToken);
}
