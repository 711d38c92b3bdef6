using DealRisk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DealRisk.ScoreHistory;

/// <summary>
/// <see cref="IScoreHistory"/> over a service's <see cref="IBinaryLog"/>: every score an append-only entry of its deal
/// filed under its month and stored with the scores of its day (MemoryPack bytes in typed columns on SQLite, BinData on
/// MongoDB), and each deal's newest score its head. Each slice of <see cref="DealsPerTransaction"/> deals costs one bulk
/// read of heads and one transaction that writes the heads nobody wrote since they were read together with their
/// entries (the deals that lost are retried), whatever history the deals hold.
/// </summary>
public sealed class ScoreHistoryLog(IDocumentStore store, IOptions<ScoreHistoryOptions> options, ILogger<ScoreHistoryLog>? logger = null)
    : IScoreHistory, IStoreMigration
{
    /// <summary>The log's name in the store: <c>score-history-log-entries</c> and <c>score-history-log-heads</c>.</summary>
    public const string LogName = "score-history-log";

    private const int MaxAttempts = 5;
    private const int DealsPerTransaction = 500;
    private static readonly IReadOnlySet<string> NoneWritten = new HashSet<string>();
    private readonly IBinaryLog _log = store.GetBinaryLog(LogName, ScoreHistoryEncoding.DayOf);
    private readonly ILogger _logger = logger ?? NullLogger<ScoreHistoryLog>.Instance;

    public async Task<IReadOnlyList<ScoreHistoryEntry>> AppendAsync(
        IReadOnlyList<ScoreHistoryEntry> entries, Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete, CancellationToken cancellationToken)
    {
        var results = new ScoreHistoryEntry[entries.Count];
        var months = new MonthOfAsOf();
        // Slices of neighbouring keys, since a slice's heads are read as one walk over its keys' range; a stable order, so a
        // deal's later score still follows its earlier one.
        var byKey = Enumerable.Range(0, entries.Count).OrderBy(i => entries[i].DealKey, StringComparer.Ordinal).ToArray();
        for (var start = 0; start < byKey.Length; start += DealsPerTransaction)
            await AppendSliceAsync(entries, byKey.AsMemory(start, Math.Min(DealsPerTransaction, byKey.Length - start)), results, months, complete, cancellationToken);
        return results;
    }

    /// <summary>
    /// The entries at <paramref name="slice"/> with their deals' heads: read, completed and written as one
    /// transaction, so a real-time rescore waiting to write its own waits for one slice, not for the whole chunk, and a
    /// chunk's previous scores are never all decoded at once (they were a large part of what a chunk kept alive, and so of
    /// what each garbage collection during a batch had to copy).
    /// </summary>
    private async Task AppendSliceAsync(
        IReadOnlyList<ScoreHistoryEntry> entries, ReadOnlyMemory<int> slice, ScoreHistoryEntry[] results, MonthOfAsOf months,
        Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete, CancellationToken cancellationToken)
    {
        var pending = new List<int>(slice.Length);
        foreach (var i in slice.Span)
            pending.Add(i);
        // Within a slice, in the order given: an append of one slice completes its scores as it always did.
        pending.Sort();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var keys = new HashSet<string>(pending.Count, StringComparer.Ordinal);
            foreach (var i in pending)
                keys.Add(entries[i].DealKey);
            var heads = await ReadHeadsAsync(keys, cancellationToken);
            var appended = new List<BinaryLogEntry>(pending.Count);
            var headWrites = new Dictionary<string, BinaryLogHead>(pending.Count, StringComparer.Ordinal);
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
                var encoded = ScoreHistoryEncoding.Encode(completed);
                var month = months.Of(completed.AsOf);
                appended.Add(new BinaryLogEntry(entry.DealKey, ScoreHistoryEncoding.IdOf(completed), month, encoded));
                var revision = head?.Revision ?? 0;
                heads[entry.DealKey] = new OpenHead(completed, revision);
                headWrites[entry.DealKey] = new BinaryLogHead(entry.DealKey, month, revision + 1, encoded);
                results[i] = completed;
            }

            var written = headWrites.Count == 0 ? NoneWritten : await _log.AppendAsync(appended, headWrites.Values, cancellationToken);
            foreach (var i in olderThanNewest)
                results[i] = await InsertOlderAsync(entries[i], complete, cancellationToken);

            pending = pending.Where(i => headWrites.ContainsKey(entries[i].DealKey) && !written.Contains(entries[i].DealKey)).ToList();
            if (pending.Count > 0 && attempt == MaxAttempts)
                throw new InvalidOperationException($"The score history of {pending.Count} deals kept changing under {MaxAttempts} attempts to append to it.");
        }
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
        await _log.ReadHeadsAsync([dealKey], cancellationToken) is [var head] ? ScoreHistoryEncoding.Decode(head.Payload) : null;

    public async Task<int> PruneAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var cutoff = asOf - options.Value.Retention;
        long deleted = 0;
        // The month holding the cutoff still has entries inside the retention; the two before it have none.
        foreach (var month in new[] { cutoff.AddMonths(-1), cutoff.AddMonths(-2) }.Select(ScoreHistoryEncoding.MonthOf))
            deleted += await _log.DeletePartitionAsync(month, cancellationToken);
        return (int)Math.Min(deleted, int.MaxValue);
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        var moved = await ScoreHistoryLayoutMigration.MoveAsync(store, _log, ct);
        if (moved > 0)
            _logger.LogInformation("Moved {Scores} scores of the score history from per-score BSON documents to the binary log '{Log}'", moved, LogName);
    }

    /// <summary>
    /// A score older than the deal's newest (a late real-time rescore): rare, so it reads the deal's entries to find its
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
        await _log.InsertAsync([new BinaryLogEntry(completed.DealKey, ScoreHistoryEncoding.IdOf(completed),
            ScoreHistoryEncoding.MonthOf(completed.AsOf), ScoreHistoryEncoding.Encode(completed))], cancellationToken);
        return completed;
    }

    private bool WithinRetention(ScoreHistoryEntry previous, ScoreHistoryEntry entry) => entry.AsOf - previous.AsOf <= options.Value.Retention;

    private async Task<List<ScoreHistoryEntry>> ReadAllAsync(string dealKey, CancellationToken cancellationToken)
    {
        var entries = new List<ScoreHistoryEntry>();
        await foreach (var stored in _log.ReadAsync(dealKey, cancellationToken))
            entries.Add(ScoreHistoryEncoding.Decode(stored.Payload));
        return entries;
    }

    /// <summary>The chunk's heads decoded as they are read, with no copy of their stored bytes.</summary>
    private async Task<Dictionary<string, OpenHead>> ReadHeadsAsync(IReadOnlyCollection<string> dealKeys, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, OpenHead>(dealKeys.Count, StringComparer.Ordinal);
        await _log.ReadHeadsAsync(dealKeys, (key, revision, _, payload) => heads[key] = new OpenHead(ScoreHistoryEncoding.Decode(payload), revision),
            cancellationToken);
        return heads;
    }

    private sealed record OpenHead(ScoreHistoryEntry Entry, long Revision);

    /// <summary>A chunk's scores share one as-of, so its month is formatted once.</summary>
    private sealed class MonthOfAsOf
    {
        private DateTimeOffset _asOf;
        private string? _month;

        public string Of(DateTimeOffset asOf)
        {
            if (_month is null || asOf != _asOf)
                (_asOf, _month) = (asOf, ScoreHistoryEncoding.MonthOf(asOf));
            return _month;
        }
    }
}
