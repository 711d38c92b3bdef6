namespace DealRisk.Contracts;

/// <summary>
/// One chunk of a batch run's deals, carried as state so the feature service needs nothing else.
/// Ingestion publishes every history chunk before the first open chunk, and each open chunk says how many
/// history chunks there were. Idempotency key: (BatchId, Part, ChunkIndex).
/// </summary>
public sealed record DealChunkSynced
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    /// <summary>One of <see cref="DealChunkParts"/>.</summary>
    public required string Part { get; init; }
    public required int ChunkIndex { get; init; }
    /// <summary>Set on open chunks: how many history chunks precede them.</summary>
    public int? HistoryChunkCount { get; init; }
    public required IReadOnlyList<DealSnapshot> Deals { get; init; }
}
