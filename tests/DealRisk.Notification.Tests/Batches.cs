using DealRisk.Contracts;

namespace DealRisk.Notification.Tests;

internal static class Batches
{
    public static readonly DateOnly AsOf = new(2024, 6, 30);

    /// <summary>Delivers one scored chunk and the batch's manifest: the batch completes and its report is written.</summary>
    public static async Task<Guid> CompleteAsync(NotificationHarness notification, DateOnly? asOf = null, params DealRiskScore[] scores)
    {
        var batchId = Guid.NewGuid();
        var day = asOf ?? AsOf;
        await notification.DeliverAsync(new DealScored
        {
            CorrelationId = batchId,
            AsOf = DateTimeOffset.UtcNow,
            Batch = new BatchChunk { BatchId = batchId, AsOf = day, ChunkIndex = 0 },
            Scorer = "rules",
            Scores = scores,
        });
        await notification.DeliverAsync(new DailyBatchSynced
        {
            BatchId = batchId,
            CorrelationId = batchId,
            AsOf = day,
            Trigger = "test",
            HistoryChunkCount = 0,
            OpenChunkCount = 1,
            HistoryDeals = 0,
            OpenDeals = scores.Length,
            DataAsOf = new DateTimeOffset(day.ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero),
            SyncedAt = DateTimeOffset.UtcNow,
        });
        return batchId;
    }

    /// <summary>A single deal rescored in real time.</summary>
    public static DealScored Rescored(DealRiskScore score) => new()
    {
        CorrelationId = Guid.NewGuid(),
        AsOf = DateTimeOffset.UtcNow,
        Scorer = score.Scorer,
        ModelVersion = score.ModelVersion,
        Scores = [score],
    };
}
