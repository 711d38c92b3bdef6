namespace DealRisk.Contracts;

/// <summary>
/// Point-in-time features of one daily-batch chunk, columnar and binary (<see cref="FeatureChunk"/> in
/// <see cref="Payload"/>), on its own endpoints so a batch never queues ahead of a single-deal
/// <see cref="FeaturesComputed"/>. Idempotency key: (<see cref="BatchChunk.BatchId"/>, <see cref="BatchChunk.ChunkIndex"/>).
/// </summary>
public sealed record FeatureChunkComputed
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required BatchChunk Batch { get; init; }
    public required byte[] Payload { get; init; }
}
