using DealRisk.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.ScoreHistory;

/// <summary>
/// <see cref="IScoreHistory"/> over a service's document store: per deal and month one <see cref="ScoreHistoryBlock"/>
/// (BinData on MongoDB, a BLOB on SQLite), read and written in bulk, a block written only if nobody wrote it since it was read.
/// </summary>
public sealed class ScoreHistoryLog(IDocumentStore store, IOptions<ScoreHistoryOptions> options) : IScoreHistory
{
    private const int MaxAttempts = 5;
    private readonly IDocumentCollection<ScoreHistoryBlock> _blocks = store.GetCollection<ScoreHistoryBlock>("score-history", "dealKey", "month");

    public async Task<IReadOnlyList<ScoreHistoryEntry>> AppendAsync(
        IReadOnlyList<ScoreHistoryEntry> entries, Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete, CancellationToken cancellationToken)
    {
        var results = new ScoreHistoryEntry[entries.Count];
        var pending = Enumerable.Range(0, entries.Count).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var blocks = await ReadBlocksAsync(pending.SelectMany(i => MonthsAround(entries[i])).Distinct().ToList(), cancellationToken);
            var changed = new Dictionary<string, OpenBlock>();
            foreach (var i in pending)
                results[i] = Append(entries[i], blocks, changed, complete);

            var writes = changed.Select(pair => new VersionedDocument<ScoreHistoryBlock>(pair.Key, pair.Value.Revision + 1, pair.Value.ToBlock(options.Value.Retention))).ToList();
            var written = writes.Count == 0 ? new HashSet<string>() : await _blocks.UpsertManyIfNewerAsync(writes, cancellationToken);
            pending = pending.Where(i => changed.ContainsKey(IdOf(entries[i])) && !written.Contains(IdOf(entries[i]))).ToList();
            if (pending.Count > 0 && attempt == MaxAttempts)
                throw new InvalidOperationException($"The score history of {pending.Count} deals kept changing under {MaxAttempts} attempts to append to it.");
        }
        return results;
    }

    public async Task<IReadOnlyList<ScoreHistoryEntry>> ReadAsync(string dealKey, CancellationToken cancellationToken)
    {
        var entries = new List<ScoreHistoryEntry>();
        await foreach (var block in _blocks.FindAsync("dealKey", dealKey, cancellationToken))
            entries.AddRange(block.Decode());
        if (entries.Count == 0)
            return entries;
        var cutoff = entries.Max(entry => entry.AsOf) - options.Value.Retention;
        entries.RemoveAll(entry => entry.AsOf < cutoff);
        entries.Sort((a, b) => a.IsSameScoreAs(b) ? 0 : a.IsOlderThan(b) ? 1 : -1);
        return entries;
    }

    public async Task<int> PruneAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var cutoff = asOf - options.Value.Retention;
        var deleted = 0;
        // The month holding the cutoff still has entries inside the retention; the two before it have none.
        foreach (var month in new[] { cutoff.AddMonths(-1), cutoff.AddMonths(-2) }.Select(ScoreHistoryBlock.MonthOf))
        {
            var stale = new List<string>();
            await foreach (var block in _blocks.FindAsync("month", month, cancellationToken))
                stale.Add(ScoreHistoryBlock.IdOf(block.DealKey, block.Month));
            foreach (var id in stale)
                if (await _blocks.DeleteAsync(id, cancellationToken)) deleted++;
        }
        return deleted;
    }

    private static ScoreHistoryEntry Append(
        ScoreHistoryEntry entry, Dictionary<string, OpenBlock> blocks, Dictionary<string, OpenBlock> changed,
        Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete)
    {
        var known = MonthsAround(entry).Select(id => blocks.GetValueOrDefault(id)).OfType<OpenBlock>().SelectMany(block => block.Entries).ToList();
        if (known.FirstOrDefault(stored => stored.IsSameScoreAs(entry)) is { } held)
            return held;
        var previous = known.Where(stored => stored.IsOlderThan(entry)).Aggregate((ScoreHistoryEntry?)null,
            (latest, stored) => latest is null || latest.IsOlderThan(stored) ? stored : latest);
        var completed = complete(previous, entry);
        var id = IdOf(entry);
        if (!blocks.TryGetValue(id, out var target))
            blocks[id] = target = new OpenBlock(entry.DealKey, ScoreHistoryBlock.MonthOf(entry.AsOf), 0, []);
        target.Insert(completed);
        changed[id] = target;
        return completed;
    }

    private async Task<Dictionary<string, OpenBlock>> ReadBlocksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var blocks = new Dictionary<string, OpenBlock>(ids.Count);
        await foreach (var block in _blocks.GetManyAsync(ids, cancellationToken))
            blocks[ScoreHistoryBlock.IdOf(block.DealKey, block.Month)] = new OpenBlock(block.DealKey, block.Month, block.Revision, block.Decode());
        return blocks;
    }

    private static string IdOf(ScoreHistoryEntry entry) => ScoreHistoryBlock.IdOf(entry.DealKey, ScoreHistoryBlock.MonthOf(entry.AsOf));

    /// <summary>The entry's own month and the one before: where its previous score is, for a deal scored at least monthly.</summary>
    private static IEnumerable<string> MonthsAround(ScoreHistoryEntry entry)
    {
        yield return IdOf(entry);
        yield return ScoreHistoryBlock.IdOf(entry.DealKey, ScoreHistoryBlock.MonthOf(entry.AsOf.AddMonths(-1)));
    }

    private sealed class OpenBlock(string dealKey, string month, long revision, List<ScoreHistoryEntry> entries)
    {
        public long Revision { get; } = revision;
        public List<ScoreHistoryEntry> Entries { get; } = entries;

        public void Insert(ScoreHistoryEntry entry)
        {
            var at = Entries.FindLastIndex(stored => stored.IsOlderThan(entry)) + 1;
            Entries.Insert(at, entry);
        }

        /// <summary>Entries more than the retention older than the block's newest are dropped as it is written.</summary>
        public ScoreHistoryBlock ToBlock(TimeSpan retention)
        {
            var cutoff = Entries.Max(entry => entry.AsOf) - retention;
            return new ScoreHistoryBlock
            {
                DealKey = dealKey,
                Month = month,
                Revision = Revision + 1,
                Entries = ScoreHistoryBlock.Encode(Entries.Where(entry => entry.AsOf >= cutoff).ToList()),
            };
        }
    }
}
