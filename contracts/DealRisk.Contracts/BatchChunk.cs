namespace DealRisk.Contracts;

/// <summary>Places a message in a batch run: chunk <see cref="ChunkIndex"/> of <see cref="ChunkCount"/>.</summary>
public sealed record BatchChunk
{
    public required Guid BatchId { get; init; }
    public required int ChunkIndex { get; init; }
    public required int ChunkCount { get; init; }
}
