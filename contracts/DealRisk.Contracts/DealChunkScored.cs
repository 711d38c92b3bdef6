namespace DealRisk.Contracts;

/// <summary>
/// Scores of one daily-batch chunk, columnar and binary (<see cref="ScoreChunk"/> in <see cref="Payload"/>), on its own
/// endpoints so a batch never queues ahead of a single-deal <see cref="DealScored"/>.
/// Idempotency key: (<see cref="BatchChunk.BatchId"/>, <see cref="BatchChunk.ChunkIndex"/>).
/// </summary>
public sealed record DealChunkScored
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required BatchChunk Batch { get; init; }
    /// <summary>"rules" or "model": which scorer the chunk was scored by (a deal missing a model input says so in its own row).</summary>
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>As <see cref="DealScored.ScoredBy"/>.</summary>
    public string? ScoredBy { get; init; }
    public required int DealCount { get; init; }
    public required byte[] Payload { get; init; }
}
