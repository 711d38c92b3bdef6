using DealRisk.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.ScoreHistory;

/// <summary>
/// <see cref="IScoreHistory"/> over a service's document store: every score an append-only <see cref="ScoreHistoryRow"/>
/// (BinData on MongoDB, a BLOB on SQLite) and each deal's newest score a <see cref="ScoreHistoryHead"/>. A chunk costs
/// one bulk read of heads, one bulk insert of rows and one bulk head write, whatever history the deals hold; a head is
/// written only if nobody wrote it since it was read (the chunk's deals that lost are retried).
/// </summary>
public sealed class ScoreHistoryLog(IDocumentStore store, IOptions<ScoreHistoryOptions> options) : IScoreHistory
{
    private const int MaxAttempts = 5;
    private readonly IDocumentCollection<ScoreHistoryRow> _rows = store.GetCollection<ScoreHistoryRow>("score-history-entries", "dealKey", "month");
    private readonly IDocumentCollection<ScoreHistoryHead> _heads = store.GetCollection<ScoreHistoryHead>("score-history-heads", "month");

    public async Task<IReadOnlyList<ScoreHistoryEntry>> AppendAsync(
        IReadOnlyList<ScoreHistoryEntry> entries, Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete, CancellationToken cancellationToken)
    {
        var results = new ScoreHistoryEntry[entries.Count];
        var pending = Enumerable.Range(0, entries.Count).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var heads = await ReadHeadsAsync(pending.Select(i => entries[i].DealKey).Distinct().ToList(), cancellationToken);
            var rows = new List<KeyValuePair<string, ScoreHistoryRow>>();
            var headWrites = new Dictionary<string, VersionedDocument<ScoreHistoryHead>>();
            var olderThanNewest = new List<int>();
            foreach (var i in pending)
            {
                var entry = entries[i];
                var head = heads.GetValueOrDefault(entry.DealKey);
                if (head is not null && head.Entry.IsSameScoreAs(entry))
                {
                    results[i] = head.Entry;
                    continue;
                }
                if (head is not null && !head.Entry.IsOlderThan(entry))
                {
                    olderThanNewest.Add(i);
                    continue;
                }
                var completed = complete(head is not null && WithinRetention(head.Entry, entry) ? head.Entry : null, entry);
                var encoded = ScoreHistoryRow.Encode(completed);
                rows.Add(KeyValuePair.Create(ScoreHistoryRow.IdOf(completed), ScoreHistoryRow.Of(completed, encoded)));
                var revision = (head?.Revision ?? 0) + 1;
                heads[entry.DealKey] = new OpenHead(completed, head?.Revision ?? 0);
                headWrites[entry.DealKey] = new VersionedDocument<ScoreHistoryHead>(entry.DealKey, revision, new ScoreHistoryHead
                {
                    DealKey = entry.DealKey, Month = ScoreHistoryRow.MonthOf(completed.AsOf), Revision = revision, Entry = encoded,
                });
                results[i] = completed;
            }

            // Rows before heads: a head never names a score whose row is missing; a row written for a lost head is rewritten on retry.
            if (rows.Count > 0)
                await _rows.UpsertManyAsync(rows, cancellationToken);
            var written = headWrites.Count == 0 ? new HashSet<string>() : await _heads.UpsertManyIfNewerAsync(headWrites.Values, cancellationToken);
            foreach (var i in olderThanNewest)
                results[i] = await InsertOlderAsync(entries[i], complete, cancellationToken);

            pending = pending.Where(i => headWrites.ContainsKey(entries[i].DealKey) && !written.Contains(entries[i].DealKey)).ToList();
            if (pending.Count > 0 && attempt == MaxAttempts)
                throw new InvalidOperationException($"The score history of {pending.Count} deals kept changing under {MaxAttempts} attempts to append to it.");
        }
        return results;
    }

    public async Task<IReadOnlyList<ScoreHistoryEntry>> ReadAsync(string dealKey, CancellationToken cancellationToken)
    {
        var entries = await ReadAllAsync(dealKey, cancellationToken);
        if (entries.Count == 0)
            return entries;
        var cutoff = entries.Max(entry => entry.AsOf) - options.Value.Retention;
        entries.RemoveAll(entry => entry.AsOf < cutoff);
        entries.Sort((a, b) => a.IsSameScoreAs(b) ? 0 : a.IsOlderThan(b) ? 1 : -1);
        return entries;
    }

    public async Task<ScoreHistoryEntry?> LatestAsync(string dealKey, CancellationToken cancellationToken) =>
        await _heads.GetAsync(dealKey, cancellationToken) is { } head ? ScoreHistoryRow.Decode(head.Entry) : null;

    public async Task<int> PruneAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var cutoff = asOf - options.Value.Retention;
        long deleted = 0;
        // The month holding the cutoff still has entries inside the retention; the two before it have none.
        foreach (var month in new[] { cutoff.AddMonths(-1), cutoff.AddMonths(-2) }.Select(ScoreHistoryRow.MonthOf))
        {
            deleted += await _rows.DeleteManyAsync("month", month, cancellationToken);
            await _heads.DeleteManyAsync("month", month, cancellationToken);
        }
        return (int)Math.Min(deleted, int.MaxValue);
    }

    /// <summary>
    /// A score older than the deal's newest (a late real-time rescore): rare, so it reads the deal's rows to find its
    /// own previous score; the head stays on the newest.
    /// </summary>
    private async Task<ScoreHistoryEntry> InsertOlderAsync(
        ScoreHistoryEntry entry, Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete, CancellationToken cancellationToken)
    {
        var known = await ReadAllAsync(entry.DealKey, cancellationToken);
        if (known.FirstOrDefault(stored => stored.IsSameScoreAs(entry)) is { } held)
            return held;
        var previous = known.Where(stored => stored.IsOlderThan(entry) && WithinRetention(stored, entry))
            .Aggregate((ScoreHistoryEntry?)null, (latest, stored) => latest is null || latest.IsOlderThan(stored) ? stored : latest);
        var completed = complete(previous, entry);
        await _rows.UpsertAsync(ScoreHistoryRow.IdOf(completed), ScoreHistoryRow.Of(completed, ScoreHistoryRow.Encode(completed)), cancellationToken);
        return completed;
    }

    private bool WithinRetention(ScoreHistoryEntry previous, ScoreHistoryEntry entry) => entry.AsOf - previous.AsOf <= options.Value.Retention;

    private async Task<List<ScoreHistoryEntry>> ReadAllAsync(string dealKey, CancellationToken cancellationToken)
    {
        var entries = new List<ScoreHistoryEntry>();
        await foreach (var row in _rows.FindAsync("dealKey", dealKey, cancellationToken))
            entries.Add(row.Decode());
        return entries;
    }

    private async Task<Dictionary<string, OpenHead>> ReadHeadsAsync(IReadOnlyCollection<string> dealKeys, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, OpenHead>(dealKeys.Count);
        await foreach (var head in _heads.GetManyAsync(dealKeys, cancellationToken))
            heads[head.DealKey] = new OpenHead(ScoreHistoryRow.Decode(head.Entry), head.Revision);
        return heads;
    }

    private sealed record OpenHead(ScoreHistoryEntry Entry, long Revision);
}
