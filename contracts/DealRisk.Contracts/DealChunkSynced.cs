namespace DealRisk.Contracts;

/// <summary>
/// One chunk of a batch run's deals (open and closed: the closed ones feed win rates), carried
/// as state so the feature service needs nothing else. Idempotency key: (BatchId, ChunkIndex).
/// </summary>
public sealed record DealChunkSynced
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required int ChunkIndex { get; init; }
    public required int ChunkCount { get; init; }
    public required IReadOnlyList<DealSnapshot> Deals { get; init; }
}
