using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Storage;

public sealed record ScoredChunk
{
    public required Guid BatchId { get; init; }
    public required DealScored Scored { get; init; }
}

public sealed record Marker
{
    public required DateTimeOffset At { get; init; }
}

/// <summary>The notification service's own data: scored batch chunks, batch manifests, reports sent, and every deal's latest risk.</summary>
public sealed class NotificationStore([FromKeyedServices(NotificationServiceExtensions.ServiceName)] IDocumentStore store)
{
    public IDocumentCollection<ScoredChunk> ScoredChunks { get; } = store.GetCollection<ScoredChunk>("scored-chunks", "batchId");
    public IDocumentCollection<DailyBatchSynced> Batches { get; } = store.GetCollection<DailyBatchSynced>("batches");
    public IDocumentCollection<DailyReportPublished> Reports { get; } = store.GetCollection<DailyReportPublished>("reports");
    public IDocumentCollection<Marker> Claims { get; } = store.GetCollection<Marker>("claims");
    public IDocumentCollection<DealRiskScore> LatestRisk { get; } = store.GetCollection<DealRiskScore>("deal-risk", "level");

    public static string ChunkId(BatchChunk chunk) => $"{chunk.BatchId:N}:{chunk.ChunkIndex}";

    public static string DealId(DealProfile deal) => $"{deal.Source}:{deal.ExternalId}";
}
