using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

public sealed class HubSpotDealStates([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<HubSpotDealState> _states = store.GetCollection<HubSpotDealState>("hubspot-deal-states");

    public Task<HubSpotDealState?> GetAsync(string dealId, CancellationToken cancellationToken) => _states.GetAsync(dealId, cancellationToken);

    /// <summary>The stored states among these deals, by deal id, read in one query.</summary>
    public async Task<Dictionary<string, HubSpotDealState>> GetManyAsync(IReadOnlyCollection<string> dealIds, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, HubSpotDealState>(dealIds.Count);
        await foreach (var state in _states.GetManyAsync(dealIds, cancellationToken))
            states[state.DealId] = state;
        return states;
    }

    /// <summary>False when another request saved this deal's state first; the caller reloads and applies again.</summary>
    public Task<bool> TrySaveAsync(HubSpotDealState state, CancellationToken cancellationToken) =>
        _states.UpsertIfNewerAsync(state.DealId, state.Revision, state, cancellationToken);

    /// <summary>The ids of the states written; the others were saved by someone else first.</summary>
    public Task<IReadOnlySet<string>> TrySaveManyAsync(IDocumentTransaction transaction, IReadOnlyCollection<HubSpotDealState> states) =>
        transaction.UpsertManyIfNewerAsync(_states, states.Select(state => new VersionedDocument<HubSpotDealState>(state.DealId, state.Revision, state)).ToList());
}
