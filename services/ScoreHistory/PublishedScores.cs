using DealRisk.Contracts;

namespace DealRisk.ScoreHistory;

/// <summary>For the services that keep a copy of the history from scoring's <see cref="DealScored"/> (trigger and movement already in it).</summary>
public static class PublishedScores
{
    public static async Task RecordAsync(this IScoreHistory history, DealScored scored, CancellationToken cancellationToken)
    {
        if (scored.Batch is { ChunkIndex: 0 })
            await history.PruneAsync(scored.AsOf, cancellationToken);
        var fallback = scored.Batch is { } batch
            ? ScoreTrigger.ForBatch(batch, scored.AsOf)
            : new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, At = scored.AsOf };
        var entries = scored.Scores.Select(score => ScoreHistoryEntry.Of(score, scored.AsOf, score.Trigger ?? fallback)).ToList();
        await history.AppendAsync(entries, (_, entry) => entry, cancellationToken);
    }
}
