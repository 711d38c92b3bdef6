using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

public sealed record PendingDeal
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required long Version { get; init; }
    /// <summary>What the change moved (<see cref="DealChangeKinds"/>); empty when it is not rescored in real time.</summary>
    public IReadOnlyList<string> FeatureChanges { get; init; } = [];
}

/// <summary>Changes that were stored but whose events have not been confirmed as published yet.</summary>
public sealed record PendingPublication
{
    public required string Id { get; init; }
    public required Guid CorrelationId { get; init; }
    public required string Origin { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required IReadOnlyList<PendingDeal> Deals { get; init; }

    public static PendingPublication Of(IReadOnlyCollection<DealMergeResult> changes, Guid correlationId, string origin, DateTimeOffset now, bool rescore) => new()
    {
        Id = MassTransit.NewId.NextGuid().ToString("N"),
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

    /// <summary>Whether every one of these changes is recorded here with what it moved, so a replay would announce it.</summary>
    public bool Covers(IReadOnlyCollection<DealMergeResult> changes) => CoverAll([this], changes, rescore: true);

    /// <summary>
    /// Whether every change is recorded in one of <paramref name="records"/>, with what it moved when it is to be
    /// rescored, so a replay would announce it as it is about to be published.
    /// </summary>
    public static bool CoverAll(IEnumerable<PendingPublication> records, IReadOnlyCollection<DealMergeResult> changes, bool rescore)
    {
        var recorded = records.SelectMany(record => record.Deals).GroupBy(deal => DealKey.Of(deal.Source, deal.ExternalId))
            .ToDictionary(group => group.Key, group => group.SelectMany(deal => deal.FeatureChanges).ToHashSet());
        return changes.All(change =>
            recorded.TryGetValue(DealKey.Of(change.Deal.Source, change.Deal.ExternalId), out var moved) && (!rescore || moved.IsSupersetOf(change.FeatureChanges)));
    }
}

/// <summary>
/// The record that keeps a stored change from going unannounced: written before the events are published, removed
/// once the broker confirmed them. What is left behind (the broker was down, the process died) is published again.
/// </summary>
public sealed class PendingPublications([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<PendingPublication> _pending = store.GetCollection<PendingPublication>("pending-publications");

    public Task RecordAsync(PendingPublication publication, CancellationToken cancellationToken) =>
        _pending.UpsertAsync(publication.Id, publication, cancellationToken);

    /// <summary>Recorded in the same transaction as the changes it announces: stored if and only if they are.</summary>
    public Task RecordAsync(IDocumentTransaction transaction, PendingPublication publication) =>
        transaction.UpsertAsync(_pending, publication.Id, publication);

    public Task CompleteAsync(string id, CancellationToken cancellationToken) => _pending.DeleteAsync(id, cancellationToken);

    public async Task<IReadOnlyList<PendingPublication>> RecordedBeforeAsync(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var due = new List<PendingPublication>();
        await foreach (var publication in _pending.ScanAsync(cancellationToken))
            if (publication.RecordedAt < instant) due.Add(publication);
        return due;
    }
}
