using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Publishes accepted changes: DealSynced for each, DealStageChanged when an existing deal changed stage. A group is
/// published concurrently, so on RabbitMQ the publisher confirms overlap instead of costing a round trip each. The
/// group is recorded as pending first and cleared once confirmed, so a publish that fails is retried by the
/// <see cref="PendingPublicationSweeper"/> rather than lost.
/// </summary>
public sealed class DealEventPublisher(IPublishEndpoint publish, PendingPublications pending, TimeProvider time)
{
    public async Task PublishAsync(IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, CancellationToken cancellationToken)
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
                StageChanged = change.StageChanged,
                PreviousStage = change.PreviousStage,
            }).ToList(),
        };
        await pending.RecordAsync(record, cancellationToken);

        var messages = new List<Task>(changes.Count * 2);
        foreach (var change in changes)
            messages.AddRange(Messages(publish, change.Deal, change.StageChanged, change.PreviousStage, correlationId, origin, now, cancellationToken));
        await Task.WhenAll(messages);
        await pending.CompleteAsync(record.Id, CancellationToken.None);
    }

    internal static IEnumerable<Task> Messages(
        IPublishEndpoint publish, DealSnapshot deal, bool stageChanged, string? previousStage, Guid correlationId, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        yield return publish.Publish(new DealSynced { CorrelationId = correlationId, Deal = deal, Origin = origin, SyncedAt = now }, cancellationToken);
        if (stageChanged)
            yield return publish.Publish(new DealStageChanged
            {
                CorrelationId = correlationId,
                Deal = deal,
                FromStage = previousStage,
                ToStage = deal.Stage,
                ChangedAt = now,
            }, cancellationToken);
    }
}
