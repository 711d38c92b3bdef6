using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Publishes accepted changes: DealSynced for each, DealStageChanged when an existing deal changed stage. A group is
/// published concurrently, so on RabbitMQ the publisher confirms overlap instead of costing a round trip each.
/// </summary>
public sealed class DealEventPublisher(IPublishEndpoint publish, TimeProvider time)
{
    public Task PublishAsync(IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
            return Task.CompletedTask;
        var now = time.GetUtcNow();
        var messages = new List<Task>(changes.Count * 2);
        foreach (var change in changes)
        {
            messages.Add(publish.Publish(new DealSynced { CorrelationId = correlationId, Deal = change.Deal, Origin = origin, SyncedAt = now }, cancellationToken));
            if (change.StageChanged)
                messages.Add(publish.Publish(new DealStageChanged
                {
                    CorrelationId = correlationId,
                    Deal = change.Deal,
                    FromStage = change.PreviousStage,
                    ToStage = change.Deal.Stage,
                    ChangedAt = now,
                }, cancellationToken));
        }
        return Task.WhenAll(messages);
    }
}
