using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Features.Storage;

public sealed record BatchStatisticsPart
{
    public required Guid BatchId { get; init; }
    public required int ChunkIndex { get; init; }
    public required OutcomeStatistics Statistics { get; init; }
}

public sealed record BatchStatistics
{
    public required Guid BatchId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required OutcomeStatistics Statistics { get; init; }
}

/// <summary>Which batch the latest statistics came from: read on every real-time use to notice a newer batch.</summary>
public sealed record LatestStatistics
{
    public required Guid BatchId { get; init; }
}

public sealed record BatchProgress
{
    public required Guid BatchId { get; init; }
    public required int HistoryChunkCount { get; init; }
}

public sealed record PendingOpenChunk
{
    public required Guid BatchId { get; init; }
    public required DealChunkSynced Chunk { get; init; }
}

public sealed record Marker
{
    public required DateTimeOffset At { get; init; }
}

/// <summary>The feature service's own data: batch statistics and their parts, open chunks waiting for them, feature snapshots.</summary>
public sealed class FeatureStore([FromKeyedServices(FeaturesServiceExtensions.ServiceName)] IDocumentStore store)
{
    public const string LatestStatisticsId = "latest";

    public IDocumentCollection<BatchStatisticsPart> StatisticsParts { get; } = store.GetCollection<BatchStatisticsPart>("batch-statistics-parts", "batchId");
    public IDocumentCollection<BatchStatistics> Statistics { get; } = store.GetCollection<BatchStatistics>("batch-statistics");
    public IDocumentCollection<LatestStatistics> LatestStatisticsMarker { get; } = store.GetCollection<LatestStatistics>("latest-statistics");
    public IDocumentCollection<BatchProgress> Progress { get; } = store.GetCollection<BatchProgress>("batch-progress");
    public IDocumentCollection<PendingOpenChunk> PendingChunks { get; } = store.GetCollection<PendingOpenChunk>("pending-open-chunks", "batchId");
    public IDocumentCollection<Marker> Done { get; } = store.GetCollection<Marker>("done-markers");
    public IDocumentCollection<DealFeatureVector> LatestFeatures { get; } = store.GetCollection<DealFeatureVector>("deal-features");

    public static string ChunkId(Guid batchId, int chunkIndex) => $"{batchId:N}:{chunkIndex}";

}
