using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Scoring.Storage;

public sealed record TrainingClaim
{
    public required DateTimeOffset At { get; init; }
    public string? Owner { get; init; }
    /// <summary>Until when the owner is known to be alive; null for a claim that never expires (a finished run, a claimed interval).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>The stored version: every renewal, takeover and completion writes the next one, so of two writers only one wins.</summary>
    public long Revision { get; init; }
    public bool Finished { get; init; }
}

/// <summary>One history chunk of a batch: the deals in it that closed after the track record's training window.</summary>
public sealed record ClosedOutcomesPart
{
    public required Guid BatchId { get; init; }
    public required int ChunkIndex { get; init; }
    public required IReadOnlyList<TrackRecord.ClosedOutcome> Outcomes { get; init; }
}

/// <summary>One open chunk of a batch: its deals tallied in the drift bins of the model the batch is pinned to (none when the rules score it).</summary>
public sealed record BatchDriftPart
{
    public required Guid BatchId { get; init; }
    public required int ChunkIndex { get; init; }
    public string? ModelVersion { get; init; }
    public required IReadOnlyList<FeatureTally> Tallies { get; init; }
}

/// <summary>
/// Every trained model with its metrics, which one is served and which one each batch is pinned to, and training sets
/// while their chunks arrive. Scores are published, not kept: notification and ingestion hold what they read.
/// </summary>
public sealed class ScoreStore([FromKeyedServices(ScoringServiceExtensions.ServiceName)] IDocumentStore store)
{
    public const string CurrentChoiceId = "current";

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
    /// <summary>Per (batch, history chunk): its deals closed since training, until the batch's closed-deal figures are refreshed.</summary>
    public IDocumentCollection<ClosedOutcomesPart> ClosedOutcomeParts { get; } = store.GetCollection<ClosedOutcomesPart>("closed-outcome-parts", "batchId");
    /// <summary>Per batch id: its manifest, which says how many history chunks to wait for.</summary>
    public IDocumentCollection<DailyBatchSynced> ClosedOutcomeBatches { get; } = store.GetCollection<DailyBatchSynced>("closed-outcome-batches");
    /// <summary>Per batch id: the claim of the step that refreshed the figures on deals closed since training.</summary>
    public IDocumentCollection<TrainingClaim> ClosedOutcomeRefreshes { get; } = store.GetCollection<TrainingClaim>("closed-outcome-refreshes");
    /// <summary>Per (batch, open chunk): its drift tally, until the batch's drift is judged.</summary>
    public IDocumentCollection<BatchDriftPart> DriftParts { get; } = store.GetCollection<BatchDriftPart>("batch-drift-parts", "batchId");
    /// <summary>Per batch id: its manifest, which says how many open chunks the drift judgement waits for.</summary>
    public IDocumentCollection<DailyBatchSynced> DriftBatches { get; } = store.GetCollection<DailyBatchSynced>("batch-drift-batches");
    /// <summary>Per batch id: the claim of the step that judged its drift.</summary>
    public IDocumentCollection<TrainingClaim> DriftJudgements { get; } = store.GetCollection<TrainingClaim>("batch-drift-judgements");

}
