namespace DealRisk.Contracts;

/// <summary>Places a message in a batch run: its chunk of open deals. The batch's chunk count arrives in <see cref="DailyBatchSynced"/>.</summary>
public sealed record BatchChunk
{
    public required Guid BatchId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required int ChunkIndex { get; init; }
}
