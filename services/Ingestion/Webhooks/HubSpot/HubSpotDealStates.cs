using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

public sealed class HubSpotDealStates([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<HubSpotDealState> _states = store.GetCollection<HubSpotDealState>("hubspot-deal-states");

    public Task<HubSpotDealState?> GetAsync(string dealId, CancellationToken cancellationToken) => _states.GetAsync(dealId, cancellationToken);

    /// <summary>False when another request saved this deal's state first; the caller reloads and applies again.</summary>
    public Task<bool> TrySaveAsync(HubSpotDealState state, CancellationToken cancellationToken) =>
        _states.UpsertIfNewerAsync(state.DealId, state.Revision, state, cancellationToken);
}
