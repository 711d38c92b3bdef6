using DealRisk.Contracts;

namespace DealRisk.ScoreHistory;

/// <summary>For the services that keep a copy of the history from scoring's scores (trigger and movement already in them).</summary>
public static class PublishedScores
{
    public static Task RecordAsync(this IScoreHistory history, DealScored scored, CancellationToken cancellationToken) =>
        history.RecordAsync(scored.Scores, scored.AsOf, scored.Batch, cancellationToken);

    public static Task RecordAsync(this IScoreHistory history, DealChunkScored chunk, IReadOnlyList<DealRiskScore> scores, CancellationToken cancellationToken) =>
        history.RecordAsync(scores, chunk.AsOf, chunk.Batch, cancellationToken);

    private static async Task RecordAsync(this IScoreHistory history, IReadOnlyList<DealRiskScore> scores, DateTimeOffset asOf, BatchChunk? batch, CancellationToken cancellationToken)
    {
        if (batch is { ChunkIndex: 0 })
            await history.PruneAsync(asOf, cancellationToken);
        var fallback = ScoreTrigger.Inferred(batch, asOf, asOf);
        var entries = scores.Select(score => ScoreHistoryEntry.Of(score, asOf, score.Trigger ?? fallback)).ToList();
        await history.AppendAsync(entries, (_, entry) => entry, cancellationToken);
    }
}
