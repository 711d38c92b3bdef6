namespace DealRisk.Contracts;

/// <summary>
/// Ingestion published every chunk of a batch run: the counts every later stage checks to know the batch is
/// complete. <see cref="OpenChunkCount"/> is also the number of FeaturesComputed and DealScored chunks.
/// </summary>
public sealed record DailyBatchSynced
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string Trigger { get; init; }
    public required int HistoryChunkCount { get; init; }
    public required int OpenChunkCount { get; init; }
    public required int HistoryDeals { get; init; }
    public required int OpenDeals { get; init; }
    /// <summary>When the newest CRM data behind this batch arrived, for the report's freshness line.</summary>
    public DateTimeOffset? DataAsOf { get; init; }
    public required DateTimeOffset SyncedAt { get; init; }
}
