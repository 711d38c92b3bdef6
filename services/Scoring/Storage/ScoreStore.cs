using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Scoring.Storage;

/// <summary>Scores the service produced: each batch chunk as one document, and the latest score of every deal rescored in real time.</summary>
public sealed class ScoreStore([FromKeyedServices(ScoringServiceExtensions.ServiceName)] IDocumentStore store)
{
    public IDocumentCollection<DealScored> ScoreChunks { get; } = store.GetCollection<DealScored>("score-chunks");
    public IDocumentCollection<DealRiskScore> LatestScores { get; } = store.GetCollection<DealRiskScore>("deal-scores");

    public static string DealId(DealProfile deal) => $"{deal.Source}:{deal.ExternalId}";

    public static string ChunkId(BatchChunk chunk) => $"{chunk.BatchId:N}:{chunk.ChunkIndex}";
}
