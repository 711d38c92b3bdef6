namespace DealRisk.Contracts;

/// <summary>
/// Ingestion started a batch run and will publish <see cref="ChunkCount"/> <see cref="DealChunkSynced"/>
/// messages for it; every later stage counts chunks against this number to know the batch is complete.
/// </summary>
public sealed record DailyBatchStarted
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required int ChunkCount { get; init; }
    public required int DealCount { get; init; }
    public required string Trigger { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>When the newest CRM data behind this batch arrived, for the report's freshness line.</summary>
    public DateTimeOffset? DataAsOf { get; init; }
}
