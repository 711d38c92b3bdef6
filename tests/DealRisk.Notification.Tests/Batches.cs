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
        await notification.DeliverAsync(Chunk(batchId, day, scores));
        await notification.DeliverAsync(Manifest(batchId, day, scores.Length, new TimeOnly(5, 0)));
        return batchId;
    }

    /// <summary>A batch's only scored chunk.</summary>
    public static DealChunkScored Chunk(Guid batchId, DateOnly day, IReadOnlyList<DealRiskScore> scores, string scorer = "rules", string? modelVersion = null) =>
        DealChunkScored.Of(new DealScored
        {
            CorrelationId = batchId,
            AsOf = DateTimeOffset.UtcNow,
            Batch = new BatchChunk { BatchId = batchId, AsOf = day, ChunkIndex = 0 },
            Scorer = scorer,
            ModelVersion = modelVersion,
            Scores = scores,
        });

    /// <summary>The manifest of a batch with one open chunk and no history, its CRM data fresh as of <paramref name="dataAt"/> UTC that day.</summary>
    public static DailyBatchSynced Manifest(Guid batchId, DateOnly day, int openDeals, TimeOnly dataAt) => new()
    {
        BatchId = batchId,
        CorrelationId = batchId,
        AsOf = day,
        Trigger = "test",
        HistoryChunkCount = 0,
        OpenChunkCount = 1,
        HistoryDeals = 0,
        OpenDeals = openDeals,
        DataAsOf = new DateTimeOffset(day.ToDateTime(dataAt), TimeSpan.Zero),
        SyncedAt = DateTimeOffset.UtcNow,
    };

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
