using System.Runtime.CompilerServices;
using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using DealRisk.Storage;

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
    /// <returns>The current scores a chunk at a time (the batch's chunks in index order, then deals new since the batch), read from the chunks' columns.</returns>
    public async IAsyncEnumerable<ReportRow[]> OpenDealsAsync(
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
            // The next chunk is read and decoded while this one is written.
            var next = ReadAsync(batch.BatchId, 0, batch.OpenChunkCount, cancellationToken);
            for (var index = 0; index < batch.OpenChunkCount; index++)
            {
                var read = await next;
                next = ReadAsync(batch.BatchId, index + 1, batch.OpenChunkCount, cancellationToken);
                if (read is not var (scored, chunk))
                    continue;
                onBatchChunk?.Invoke(scored);
                yield return Current(chunk, scored.AsOf, rescores);
            }
        }

        // A deal the batch did not hold counts only when it was rescored after the batch read the deals (a new deal);
        // a rescore from before means the deal was no longer open when the batch ran.
        var added = new List<ReportRow>();
        foreach (var rescore in rescores.Values)
        {
            if (IsOpen(rescore.Score) && (batch is null || rescore.AsOf > batch.SyncedAt))
                added.Add(ReportRow.Of(rescore.Score));
        }
        if (added.Count > 0)
            yield return [.. added];
    }

    /// <summary>The chunk's deals, each the batch's row unless a newer rescore replaces it (or closed it).</summary>
    private static ReportRow[] Current(ScoreChunk chunk, DateTimeOffset chunkAsOf, Dictionary<string, DealRiskAsOf> rescores)
    {
        var rows = new List<ReportRow>(chunk.Count);
        var lookup = rescores.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> key = stackalloc char[256];
        for (var row = 0; row < chunk.Count; row++)
        {
            var batchRow = ReportRow.Of(chunk, row);
            if (rescores.Count == 0 || !TryRemove(lookup, batchRow, key, out var rescore))
            {
                rows.Add(batchRow);
                continue;
            }
            if (!rescore.IsNewerThan(batchRow.Version, chunkAsOf))
                rows.Add(batchRow);
            else if (IsOpen(rescore.Score))
                rows.Add(ReportRow.Of(rescore.Score));
        }
        return [.. rows];
    }

    private static bool TryRemove(Dictionary<string, DealRiskAsOf>.AlternateLookup<ReadOnlySpan<char>> lookup, in ReportRow row, Span<char> buffer, out DealRiskAsOf rescore)
    {
        var (source, externalId) = (row.Source, row.ExternalId);
        var length = source.Length + 1 + externalId.Length;
        // DealKey.Of, without a string per deal.
        var key = length <= buffer.Length ? buffer[..length] : new char[length];
        source.CopyTo(key);
        key[source.Length] = ':';
        externalId.CopyTo(key[(source.Length + 1)..]);
        return lookup.Remove(key, out _, out rescore!);
    }

    private async Task<(DealChunkScored Scored, ScoreChunk Chunk)?> ReadAsync(Guid batchId, int index, int count, CancellationToken cancellationToken)
    {
        if (index >= count)
            return null;
        return await CallerScheduler.Run(async () =>
            await store.ScoredChunks.GetAsync(batchId, index, cancellationToken) is { } scored ? (scored, scored.ReadScores()) : ((DealChunkScored, ScoreChunk)?)null,
            cancellationToken);
    }

    private static bool IsOpen(DealRiskScore score) => !DealStages.IsClosed(score.Deal.Stage);
}
