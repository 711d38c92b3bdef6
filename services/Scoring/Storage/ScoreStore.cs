using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Scoring.Storage;

public sealed record TrainingClaim
{
    public required DateTimeOffset At { get; init; }
}

/// <summary>
/// Scores the service produced (each batch chunk as one document, the latest score of every deal rescored in real
/// time), every trained model with its metrics, which one is served, and training sets while their chunks arrive.
/// </summary>
public sealed class ScoreStore([FromKeyedServices(ScoringServiceExtensions.ServiceName)] IDocumentStore store)
{
    public const string CurrentChoiceId = "current";

    public IDocumentCollection<DealScored> ScoreChunks { get; } = store.GetCollection<DealScored>("score-chunks");
    public IDocumentCollection<DealRiskScore> LatestScores { get; } = store.GetCollection<DealRiskScore>("deal-scores");
    public IDocumentCollection<ModelRecord> Models { get; } = store.GetCollection<ModelRecord>("models");
    public IDocumentCollection<ServedModelChoice> ServedChoice { get; } = store.GetCollection<ServedModelChoice>("served-model");
    public IDocumentCollection<TrainingSetChunk> TrainingChunks { get; } = store.GetCollection<TrainingSetChunk>("training-chunks", "correlationId");
    public IDocumentCollection<TrainingClaim> TrainingClaims { get; } = store.GetCollection<TrainingClaim>("training-claims");
    public IDocumentCollection<ModelTrained> TrainingRuns { get; } = store.GetCollection<ModelTrained>("training-runs");
    /// <summary>Per batch id: the model its first chunk was scored by, which scores all its chunks.</summary>
    public IDocumentCollection<BatchModelPin> BatchModels { get; } = store.GetCollection<BatchModelPin>("batch-models");
    /// <summary>The latest track record, "latest"; and per batch id, the claim of the chunk that refreshed it.</summary>
    public IDocumentCollection<TrackRecordUpdated> TrackRecords { get; } = store.GetCollection<TrackRecordUpdated>("track-record");
    public IDocumentCollection<TrainingClaim> TrackRecordBatches { get; } = store.GetCollection<TrainingClaim>("track-record-batches");


    public static string ChunkId(BatchChunk chunk) => $"{chunk.BatchId:N}:{chunk.ChunkIndex}";
}
