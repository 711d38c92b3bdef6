using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Publishes accepted changes: DealSynced for each, and DealChanged, the real-time rescore, for each whose change can
/// move a feature. A group is published concurrently, so on RabbitMQ the publisher confirms overlap instead of costing
/// a round trip each. The group is recorded as pending first and cleared once confirmed, so a publish that fails is
/// retried by the <see cref="PendingPublicationSweeper"/> rather than lost.
/// </summary>
public sealed class DealEventPublisher(IPublishEndpoint publish, PendingPublications pending, TimeProvider time)
{
    /// <param name="rescore">False when the changes are too many for the real-time path (a bulk import): the batch scores them.</param>
    public async Task PublishAsync(
        IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, CancellationToken cancellationToken, bool rescore = true)
    {
        if (changes.Count == 0)
            return;
        var now = time.GetUtcNow();
        var record = new PendingPublication
        {
            Id = NewId.NextGuid().ToString("N"),
            CorrelationId = correlationId,
            Origin = origin,
            RecordedAt = now,
            Deals = changes.Select(change => new PendingDeal
            {
                Source = change.Deal.Source,
                ExternalId = change.Deal.ExternalId,
                Version = change.Deal.Version,
                FeatureChanges = rescore ? change.FeatureChanges : [],
            }).ToList(),
        };
        await pending.RecordAsync(record, cancellationToken);

        var messages = new List<Task>(changes.Count * 2);
        foreach (var change in changes)
            messages.AddRange(Messages(publish, change.Deal, rescore ? change.FeatureChanges : [], correlationId, origin, now, cancellationToken));
        await Task.WhenAll(messages);
        await pending.CompleteAsync(record.Id, CancellationToken.None);
    }

    internal static IEnumerable<Task> Messages(
        IPublishEndpoint publish, DealSnapshot deal, IReadOnlyList<string> featureChanges, Guid correlationId, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        yield return publish.Publish(new DealSynced { CorrelationId = correlationId, Deal = deal, Origin = origin, SyncedAt = now }, cancellationToken);
        if (featureChanges.Count > 0)
            yield return publish.Publish(new DealChanged
            {
                CorrelationId = correlationId,
                Deal = deal,
                ChangedFields = featureChanges,
                Origin = origin,
                ChangedAt = now,
            }, cancellationToken);
    }
}
