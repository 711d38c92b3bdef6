namespace DealRisk.ScoreHistory;

/// <summary>Each deal's scores over time: what the movement of a new score is measured against, and what the API and dashboard show.</summary>
public interface IScoreHistory
{
    /// <summary>
    /// Appends these scores (in bulk, at a cost that does not grow with the history a deal holds), each completed by
    /// <paramref name="complete"/> with the deal's previous score (null for its first, or when that one is older than the
    /// retention). A score already held (same deal version and as-of) is not appended again: the stored one is returned,
    /// so a redelivered chunk changes nothing.
    /// </summary>
    Task<IReadOnlyList<ScoreHistoryEntry>> AppendAsync(
        IReadOnlyList<ScoreHistoryEntry> entries, Func<ScoreHistoryEntry?, ScoreHistoryEntry, ScoreHistoryEntry> complete, CancellationToken cancellationToken);

    /// <summary>One deal's scores within the retention of its newest one, newest first.</summary>
    Task<IReadOnlyList<ScoreHistoryEntry>> ReadAsync(string dealKey, CancellationToken cancellationToken);

    /// <summary>One deal's newest score (by deal version, then as-of), or null when none is kept.</summary>
    Task<ScoreHistoryEntry?> LatestAsync(string dealKey, CancellationToken cancellationToken);

    /// <summary>Deletes every deal's scores of the months that fell out of the retention by <paramref name="asOf"/> (a batch's day).</summary>
    Task<int> PruneAsync(DateTimeOffset asOf, CancellationToken cancellationToken);
}
