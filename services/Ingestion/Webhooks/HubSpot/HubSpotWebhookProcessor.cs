using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>What one delivery did, event by event, as HubSpot's caller and the operator see it.</summary>
public sealed record HubSpotBatchResult
{
    public required Guid Id { get; init; }
    public int Events { get; init; }
    public int Applied { get; init; }
    public int Duplicates { get; init; }
    public int Ignored { get; init; }
    public int DealsChanged { get; init; }
    public int DealsDeleted { get; init; }
    public IReadOnlyList<HubSpotEventError> Errors { get; init; } = [];
}

/// <summary>
/// Applies a verified batch: folds each deal's events into its state, persists the states and the canonical deals
/// (one transaction for the whole delivery), then publishes the changed deals together. A bad event is
/// reported and skipped, never retried.
/// </summary>
public sealed class HubSpotWebhookProcessor(
    [FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store,
    HubSpotDealStates states,
    DealRepository deals,
    DealEventPublisher publisher,
    PendingPublications pending,
    WebhookRejections rejections,
    CrmActivity activity,
    DealLocks locks,
    IOptionsMonitor<HubSpotOptions> options,
    TimeProvider time)
{
    public const string Origin = "hubspot-webhook";
    private const int MaxConcurrencyRetries = 10;

    public async Task<HubSpotBatchResult> ProcessAsync(IReadOnlyList<HubSpotEvent> events, IReadOnlyList<HubSpotEventError> unreadable, CancellationToken cancellationToken)
    {
        var id = NewId.NextGuid();
        var stages = options.CurrentValue.Stages;
        var results = new List<HubSpotEventResult>(events.Count);
        var changes = new List<DealMergeResult>();
        var deleted = 0;
        var byDeal = events.GroupBy(change => change.DealId).ToDictionary(deal => deal.Key, deal => deal.ToList());
        PendingPublication? recorded;
        using (await locks.AcquireManyAsync(byDeal.Keys.Select(dealId => DealKey.Of(HubSpotDealSnapshot.SourceName, dealId)), cancellationToken))
        {
            (var outcomes, recorded) = await ApplyAllAsync(byDeal, stages, id, cancellationToken);
            foreach (var outcome in outcomes)
            {
                results.AddRange(outcome.Results);
                if (outcome.Change is { Outcome: not DealMergeOutcome.Unchanged } change) changes.Add(change);
                if (outcome.Deleted) deleted++;
            }
        }

        var errors = unreadable.Concat(results
                .Where(result => result.Outcome == HubSpotEventOutcome.Rejected)
                .Select(result => new HubSpotEventError(result.Event.Index, result.Event.EventId, result.Event.ObjectId, result.Reason!)))
            .OrderBy(error => error.Index)
            .ToList();
        foreach (var error in errors)
            await rejections.RecordEventAsync(HubSpotDealSnapshot.SourceName, error.EventId?.ToString(), error.ObjectId?.ToString(), $"Event #{error.Index}: {error.Reason}", cancellationToken);

        if (results.Any(result => result.Outcome == HubSpotEventOutcome.Applied))
            await activity.RecordWebhookAsync(cancellationToken);
        await publisher.AnnounceAsync(changes, id, Origin, recorded is null ? [] : [recorded], cancellationToken);
        WebhookMetrics.Accepted(HubSpotDealSnapshot.SourceName, results.Count(r => r.Outcome == HubSpotEventOutcome.Applied),
            results.Count(r => r.Outcome == HubSpotEventOutcome.Duplicate), results.Count(r => r.Outcome == HubSpotEventOutcome.Ignored));

        return new HubSpotBatchResult
        {
            Id = id,
            Events = events.Count + unreadable.Count,
            Applied = results.Count(result => result.Outcome == HubSpotEventOutcome.Applied),
            Duplicates = results.Count(result => result.Outcome == HubSpotEventOutcome.Duplicate),
            Ignored = results.Count(result => result.Outcome == HubSpotEventOutcome.Ignored),
            DealsChanged = changes.Count,
            DealsDeleted = deleted,
            Errors = errors,
        };
    }

    private sealed record DealOutcome(IReadOnlyList<HubSpotEventResult> Results, DealMergeResult? Change, bool Deleted);

    /// <summary>
    /// Plans every deal of the delivery from one read of their states and deals, then writes the changed deals and
    /// the states in one transaction, so a failure part-way stores none of them and HubSpot's redelivery applies it all. A deal that another writer changed meanwhile (another replica) is redone alone.
    /// The changes are recorded as pending publication in that same transaction: once a state is stored, HubSpot's
    /// redelivery is a duplicate, so a crash after storing must leave the change to the sweeper (and a separate write
    /// before it cost every delivery a second commit on the store's one writer).
    /// </summary>
    private async Task<(List<DealOutcome> Outcomes, PendingPublication? Recorded)> ApplyAllAsync(
        Dictionary<string, List<HubSpotEvent>> byDeal, IReadOnlyDictionary<string, string> stages, Guid id, CancellationToken cancellationToken)
    {
        var dealIds = byDeal.Keys.ToList();
        var knownStates = await states.GetManyAsync(dealIds, cancellationToken);
        var knownDeals = await StoredDealsAsync(dealIds, cancellationToken);
        var now = time.GetUtcNow();
        var outcomes = new Dictionary<string, DealOutcome>();
        var nextStates = new List<HubSpotDealState>();
        foreach (var (dealId, events) in byDeal)
        {
            var state = knownStates.GetValueOrDefault(dealId) ?? new HubSpotDealState { DealId = dealId };
            var (next, results) = HubSpotEventApplier.Apply(state, events, stages);
            if (!results.Any(result => result.Outcome is HubSpotEventOutcome.Applied or HubSpotEventOutcome.Ignored))
            {
                outcomes[dealId] = new DealOutcome(results, null, false);
                continue;
            }
            next = next with { Revision = state.Revision + 1 };
            nextStates.Add(next);
            var stored = knownDeals.GetValueOrDefault(dealId);
            outcomes[dealId] = next.IsDeleted
                ? new DealOutcome(results, null, stored is not null && await deals.DeleteAsync(HubSpotDealSnapshot.SourceName, dealId, cancellationToken))
                : new DealOutcome(results, DealMerge.Apply(stored, HubSpotDealSnapshot.Build(next, stored, stages), now), false);
        }

        var planned = outcomes.Values.Select(outcome => outcome.Change).OfType<DealMergeResult>().Where(change => change.Outcome != DealMergeOutcome.Unchanged).ToList();
        var recorded = publisher.Plan(planned, id, Origin);
        var changed = planned.Select(change => change.Deal).ToList();
        var (savedDeals, redo) = await store.WriteTogetherAsync(async transaction =>
        {
            if (recorded is not null)
                await pending.RecordAsync(transaction, recorded);
            var savedDeals = await deals.SaveManyIfNewerAsync(transaction, changed);
            var redo = changed.Where(deal => !savedDeals.Contains(DealKey.Of(deal.Source, deal.ExternalId))).Select(deal => deal.ExternalId).ToHashSet();
            var savedStates = await states.TrySaveManyAsync(transaction, nextStates.Where(state => !redo.Contains(state.DealId)).ToList());
            redo.UnionWith(nextStates.Select(state => state.DealId).Where(dealId => !savedStates.Contains(dealId)));
            return (savedDeals, redo);
        }, cancellationToken);

        foreach (var dealId in redo)
        {
            var again = await ApplyToDealAsync(dealId, byDeal[dealId], stages, cancellationToken);
            // A deal saved above whose state lost the race must still be published: the redo finds it unchanged.
            var savedBefore = savedDeals.Contains(DealKey.Of(HubSpotDealSnapshot.SourceName, dealId)) ? outcomes[dealId].Change : null;
            outcomes[dealId] = again.Change is { Outcome: not DealMergeOutcome.Unchanged } || savedBefore is null ? again : again with { Change = savedBefore };
        }
        return (outcomes.Values.ToList(), recorded);
    }

    private async Task<Dictionary<string, DealSnapshot>> StoredDealsAsync(List<string> dealIds, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, DealSnapshot>(dealIds.Count);
        var refs = dealIds.Select(id => new DealRef { Source = HubSpotDealSnapshot.SourceName, ExternalId = id, Version = 0 });
        await foreach (var deal in deals.GetManyAsync(refs, cancellationToken))
            stored[deal.ExternalId] = deal;
        return stored;
    }

    /// <summary>One deal on its own, reading it afresh: the path after another writer got in between.</summary>
    private async Task<DealOutcome> ApplyToDealAsync(string dealId, List<HubSpotEvent> events, IReadOnlyDictionary<string, string> stages, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConcurrencyRetries; attempt++)
        {
            var state = await states.GetAsync(dealId, cancellationToken) ?? new HubSpotDealState { DealId = dealId };
            var (next, results) = HubSpotEventApplier.Apply(state, events, stages);
            if (!results.Any(result => result.Outcome is HubSpotEventOutcome.Applied or HubSpotEventOutcome.Ignored))
                return new DealOutcome(results, null, false);

            next = next with { Revision = state.Revision + 1 };
            var stored = await deals.GetAsync(HubSpotDealSnapshot.SourceName, dealId, cancellationToken);
            DealMergeResult? change = null;
            var deleted = false;
            if (next.IsDeleted)
            {
                deleted = stored is not null && await deals.DeleteAsync(HubSpotDealSnapshot.SourceName, dealId, cancellationToken);
            }
            else
            {
                change = DealMerge.Apply(stored, HubSpotDealSnapshot.Build(next, stored, stages), time.GetUtcNow());
                if (change.Outcome != DealMergeOutcome.Unchanged && !await deals.SaveAsync(change.Deal, cancellationToken))
                    continue;
            }

            if (await states.TrySaveAsync(next, cancellationToken))
                return new DealOutcome(results, change, deleted);
        }
        // HubSpot redelivers on a 5xx; what was applied already is recognized then.
        throw new InvalidOperationException($"HubSpot deal {dealId} kept changing under concurrent deliveries; gave up after {MaxConcurrencyRetries} attempts.");
    }
}
