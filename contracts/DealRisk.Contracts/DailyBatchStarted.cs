namespace DealRisk.Contracts;

/// <summary>Ingestion started a batch run for <see cref="AsOf"/>; its chunks and then <see cref="DailyBatchSynced"/> follow.</summary>
public sealed record DailyBatchStarted
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string Trigger { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
}
