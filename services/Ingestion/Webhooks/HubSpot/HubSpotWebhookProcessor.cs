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
    IOptionsMonitor<HubSpotOptions> options,
    TimeProvider time)
{
    public const string Origin = "hubspot-webhook";
    private const int MaxConcurrencyRetries = 5;

    public async Task<HubSpotBatchResult> ProcessAsync(IReadOnlyList<HubSpotEvent> events, IReadOnlyList<HubSpotEventError> unreadable, CancellationToken cancellationToken)
    {
        var id = NewId.NextGuid();
        var stages = options.CurrentValue.Stages;
        var results = new List<HubSpotEventResult>(events.Count);
        var changes = new List<DealMergeResult>();
        var deleted = 0;
        foreach (var deal in events.GroupBy(change => change.DealId))
        {
            var outcome = await ApplyToDealAsync(deal.Key, deal.ToList(), stages, cancellationToken);
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

    private async Task<DealOutcome> ApplyToDealAsync(string dealId, List<HubSpotEvent> events, IReadOnlyDictionary<string, string> stages, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
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
                if (change.Outcome != DealMergeOutcome.Unchanged && !await deals.SaveAsync(change.Deal, cancellationToken) && attempt < MaxConcurrencyRetries)
                    continue;
            }

            if (await states.TrySaveAsync(next, cancellationToken) || attempt >= MaxConcurrencyRetries)
                return new DealOutcome(results, change, deleted);
        }
    }
}
