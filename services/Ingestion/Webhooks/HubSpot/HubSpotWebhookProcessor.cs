using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;
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
/// Applies a verified batch: deal by deal, folds the events into the deal's state, persists the state and the
/// canonical deal, then publishes the changed deals together. A bad event is reported and skipped, never retried.
/// </summary>
public sealed class HubSpotWebhookProcessor(
    HubSpotDealStates states,
    DealRepository deals,
    DealEventPublisher publisher,
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
        var byDeal = events.GroupBy(change => change.DealId).ToList();
        var dealIds = byDeal.Select(deal => deal.Key).ToList();
        var knownStates = await states.GetManyAsync(dealIds, cancellationToken);
        var knownDeals = await StoredDealsAsync(dealIds, cancellationToken);
        foreach (var deal in byDeal)
        {
            var prefetched = (knownStates.GetValueOrDefault(deal.Key), knownDeals.GetValueOrDefault(deal.Key));
            DealOutcome outcome;
            using (await locks.AcquireAsync(DealKey.Of(HubSpotDealSnapshot.SourceName, deal.Key), cancellationToken))
                outcome = await ApplyToDealAsync(deal.Key, deal.ToList(), stages, prefetched, cancellationToken);
            results.AddRange(outcome.Results);
            if (outcome.Change is { Outcome: not DealMergeOutcome.Unchanged } change) changes.Add(change);
            if (outcome.Deleted) deleted++;
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
        await publisher.PublishAsync(changes, id, Origin, cancellationToken);

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

    private async Task<Dictionary<string, DealSnapshot>> StoredDealsAsync(List<string> dealIds, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, DealSnapshot>(dealIds.Count);
        var refs = dealIds.Select(id => new DealRef { Source = HubSpotDealSnapshot.SourceName, ExternalId = id, Version = 0 });
        await foreach (var deal in deals.GetManyAsync(refs, cancellationToken))
            stored[deal.ExternalId] = deal;
        return stored;
    }

    /// <summary>Starts from the batch's prefetched state and deal; after a concurrent write it reloads them.</summary>
    private async Task<DealOutcome> ApplyToDealAsync(
        string dealId,
        List<HubSpotEvent> events,
        IReadOnlyDictionary<string, string> stages,
        (HubSpotDealState? State, DealSnapshot? Deal) prefetched,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConcurrencyRetries; attempt++)
        {
            var first = attempt == 1;
            var state = (first ? prefetched.State : await states.GetAsync(dealId, cancellationToken)) ?? new HubSpotDealState { DealId = dealId };
            var (next, results) = HubSpotEventApplier.Apply(state, events, stages);
            if (!results.Any(result => result.Outcome is HubSpotEventOutcome.Applied or HubSpotEventOutcome.Ignored))
                return new DealOutcome(results, null, false);

            next = next with { Revision = state.Revision + 1 };
            var stored = first ? prefetched.Deal : await deals.GetAsync(HubSpotDealSnapshot.SourceName, dealId, cancellationToken);
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
