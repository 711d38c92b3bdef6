using DealRisk.Storage;

namespace DealRisk.ScoreHistory;

/// <summary>Moves the score history a release before the binary log stored (a BSON document per score and per deal head) into the log.</summary>
public static class ScoreHistoryLayoutMigration
{
    private const int BlockSize = 5000;

    /// <summary>
    /// Copies every legacy row and head into the log a block at a time, then deletes the legacy documents month by month
    /// (one indexed delete each). Copying again is harmless (an entry lands on its deal and id, a head is written only
    /// over a lower revision), so a crash part-way loses nothing and the next start carries on. Returns the rows moved.
    /// </summary>
    public static async Task<long> MoveAsync(IDocumentStore store, IBinaryLog log, CancellationToken ct)
    {
        var rows = store.GetCollection<ScoreHistoryRow>(ScoreHistoryRow.LegacyCollection, "dealKey", "month");
        var heads = store.GetCollection<ScoreHistoryHead>(ScoreHistoryHead.LegacyCollection, "month");
        if (await rows.CountAsync(ct: ct) == 0 && await heads.CountAsync(ct: ct) == 0)
            return 0;

        var months = new HashSet<string>(StringComparer.Ordinal);
        long moved = 0;
        var entries = new List<BinaryLogEntry>(BlockSize);
        await foreach (var row in rows.ScanAsync(ct))
        {
            entries.Add(new BinaryLogEntry(row.DealKey, ScoreHistoryEncoding.IdOf(ScoreHistoryEncoding.Decode(row.Entry)), row.Month, row.Entry));
            months.Add(row.Month);
            if (entries.Count == BlockSize)
            {
                await log.InsertAsync(entries, ct);
                moved += entries.Count;
                entries = new List<BinaryLogEntry>(BlockSize);
            }
        }
        await log.InsertAsync(entries, ct);
        moved += entries.Count;

        var newest = new List<BinaryLogHead>(BlockSize);
        await foreach (var head in heads.ScanAsync(ct))
        {
            newest.Add(new BinaryLogHead(head.DealKey, head.Month, head.Revision, head.Entry));
            months.Add(head.Month);
            if (newest.Count == BlockSize)
            {
                await log.AppendAsync([], newest, ct);
                newest = new List<BinaryLogHead>(BlockSize);
            }
        }
        await log.AppendAsync([], newest, ct);

        foreach (var month in months)
        {
            await rows.DeleteManyAsync("month", month, ct);
            await heads.DeleteManyAsync("month", month, ct);
        }
        return moved;
    }
}
