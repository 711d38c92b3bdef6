using System.Runtime.CompilerServices;
using DealRisk.Contracts;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Reports;

/// <summary>
/// The one definition of a deal's current risk, behind the daily report and summary and the dashboard's cards, table
/// and chart: the newest score (<see cref="ScoreRecency"/>) of each open deal, from a batch and the real-time rescores
/// laid over it. A deal whose newest score was computed on its closing change drops out.
/// </summary>
public sealed class CurrentRisk(NotificationStore store)
{
    /// <summary>The instant a batch as of a day scores its deals: the day's last tick, as the feature service computes them.</summary>
    public static DateTimeOffset BatchInstant(DateOnly day) =>
        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);

    /// <param name="batch">The batch whose scores are the base; null before the first batch.</param>
    /// <param name="rescoredUntil">Only rescores as of this instant or earlier count (a report as of a day); null for all.</param>
    /// <param name="onBatchChunk">Told of each of the batch's scored chunks as it is read (what scored it and why).</param>
    public async IAsyncEnumerable<DealRiskScore> OpenDealsAsync(
        DailyBatchSynced? batch, DateTimeOffset? rescoredUntil, [EnumeratorCancellation] CancellationToken cancellationToken,
        Action<DealChunkScored>? onBatchChunk = null)
    {
        var rescores = new Dictionary<string, DealRiskAsOf>();
        await foreach (var rescore in store.LatestRisk.ScanAsync(cancellationToken))
        {
            if (rescoredUntil is null || rescore.AsOf <= rescoredUntil)
                rescores[DealKey.Of(rescore.Score.Deal)] = rescore;
        }

        if (batch is not null)
        {
            // Chunk by chunk in index order, not in the order they arrived: with replicas that order varies, the report must not.
            for (var index = 0; index < batch.OpenChunkCount; index++)
            {
                if (await store.ScoredChunks.GetAsync(NotificationStore.ChunkId(batch.BatchId, index), cancellationToken) is not { } chunk)
                    continue;
                onBatchChunk?.Invoke(chunk.Scored);
                foreach (var score in chunk.Scored.ReadScores().All())
                {
                    if (!rescores.Remove(DealKey.Of(score.Deal), out var rescore) || !rescore.IsNewerThan(score, chunk.Scored.AsOf))
                        yield return score;
                    else if (IsOpen(rescore.Score))
                        yield return rescore.Score;
                }
            }
        }

        // A deal the batch did not hold counts only when it was rescored after the batch read the deals (a new deal);
        // a rescore from before means the deal was no longer open when the batch ran.
        foreach (var rescore in rescores.Values)
        {
            if (IsOpen(rescore.Score) && (batch is null || rescore.AsOf > batch.SyncedAt))
                yield return rescore.Score;
        }
    }

    private static bool IsOpen(DealRiskScore score) => !DealStages.IsClosed(score.Deal.Stage);
}
