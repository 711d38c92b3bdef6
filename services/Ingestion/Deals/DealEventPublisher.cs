using DealRisk.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Publishes accepted changes as <see cref="DealChangesStored"/>: each change a DealChanged, the real-time rescore that
/// also carries the stored deal, when it can move a feature and is rescored now, a DealSynced otherwise; a delivery's
/// changes in one message, so on RabbitMQ a webhook waits for one publisher confirm, not one per change. The
/// group is recorded as pending first (by the caller before it stores the changes, or here) and cleared once
/// confirmed, so a publish that fails or is not confirmed within <see cref="IngestionOptions.PublishWait"/> is
/// delivered later by the <see cref="PendingPublicationSweeper"/> rather than lost or waited for.
/// </summary>
public sealed class DealEventPublisher(
    IPublishEndpoint publish,
    PendingPublications pending,
    TimeProvider time,
    IOptions<IngestionOptions> options,
    ILogger<DealEventPublisher> logger)
{
    /// <summary>Records changes as pending publication: called before they are stored, no stored change goes unannounced.</summary>
    /// <param name="rescore">False when the changes are too many for the real-time path (a bulk import): the batch scores them.</param>
    public async Task<PendingPublication?> RecordAsync(
        IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, CancellationToken cancellationToken, bool rescore = true)
    {
        var record = Plan(changes, correlationId, origin, rescore);
        if (record is not null)
            await pending.RecordAsync(record, cancellationToken);
        return record;
    }

    /// <summary>The pending-publication record of these changes, for the caller to store in the transaction that stores them.</summary>
    public PendingPublication? Plan(IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, bool rescore = true) =>
        changes.Count == 0 ? null : PendingPublication.Of(changes, correlationId, origin, time.GetUtcNow(), rescore);

    /// <summary>Records, publishes and waits for the broker's confirms (imports: the batch that follows needs the deals announced).</summary>
    /// <param name="recorded">What was recorded as the changes were stored; recorded again here when it does not cover them as published.</param>
    public async Task PublishAsync(
        IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, CancellationToken cancellationToken, bool rescore = true,
        IReadOnlyCollection<PendingPublication>? recorded = null)
    {
        if (changes.Count == 0)
            return;
        var records = recorded?.ToList() ?? [];
        if (!PendingPublication.CoverAll(records, changes, rescore))
            records.Add((await RecordAsync(changes, correlationId, origin, cancellationToken, rescore))!);
        await Task.WhenAll(Publish(changes, correlationId, origin, rescore, cancellationToken));
        foreach (var record in records)
            await pending.CompleteAsync(record.Id, CancellationToken.None);
    }

    /// <summary>
    /// Publishes changes a CRM is waiting on, for at most <see cref="IngestionOptions.PublishWait"/>: past it the changes,
    /// stored and recorded as pending, are cleared when the broker confirms them, or published again by the sweeper.
    /// </summary>
    /// <param name="recorded">What <see cref="RecordAsync"/> recorded before the changes were stored; recorded again here when it does not cover them.</param>
    public async Task AnnounceAsync(
        IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, IReadOnlyCollection<PendingPublication> recorded, CancellationToken cancellationToken)
    {
        var records = recorded.ToList();
        if (changes.Count > 0 && !PendingPublication.CoverAll(records, changes, rescore: true))
            records.Add(await RecordAsync(changes, correlationId, origin, cancellationToken) ?? throw new InvalidOperationException("Nothing recorded."));

        // Not cancelled with the request: once stored and recorded, the events should go out even if the caller left.
        var confirmed = CompleteOnceConfirmedAsync(Task.WhenAll(Publish(changes, correlationId, origin, rescore: true, CancellationToken.None)), records);
        try
        {
            await confirmed.WaitAsync(options.Value.PublishWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The broker did not confirm {Count} deal changes from {Origin} within {Wait}; they stay pending until it does",
                changes.Count, origin, options.Value.PublishWait);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Publishing {Count} deal changes from {Origin} failed; they stay pending and are published again later", changes.Count, origin);
        }
    }

    private async Task CompleteOnceConfirmedAsync(Task published, IReadOnlyList<PendingPublication> records)
    {
        await published;
        foreach (var record in records)
            await pending.CompleteAsync(record.Id, CancellationToken.None);
    }

    private List<Task> Publish(IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, bool rescore, CancellationToken cancellationToken) =>
        Announce(publish, changes.Select(change => new AnnouncedChange(change.Deal, rescore ? change.FeatureChanges : [], change.Changes ?? [])),
            correlationId, origin, time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Announces stored changes in messages of <see cref="DealChangesStored.MaxDeals"/>: each change as a DealChanged when it
    /// is rescored now (the feature service stores the deal from it too), otherwise as a DealSynced.
    /// </summary>
    internal static List<Task> Announce(
        IPublishEndpoint publish, IEnumerable<AnnouncedChange> changes, Guid correlationId, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messages = new List<Task>();
        foreach (var group in changes.Chunk(DealChangesStored.MaxDeals))
            messages.Add(publish.Publish(new DealChangesStored
            {
                CorrelationId = correlationId,
                Origin = origin,
                Rescored = [.. group.Where(change => change.FeatureChanges.Count > 0).Select(change => new DealChanged
                {
                    CorrelationId = correlationId,
                    Deal = change.Deal,
                    ChangedFields = change.FeatureChanges,
                    Origin = origin,
                    ChangedAt = now,
                    Changes = change.Changes,
                })],
                Synced = [.. group.Where(change => change.FeatureChanges.Count == 0)
                    .Select(change => new DealSynced { CorrelationId = correlationId, Deal = change.Deal, Origin = origin, SyncedAt = now })],
            }, cancellationToken));
        return messages;
    }
}
