using System.Runtime.CompilerServices;
using DealRisk.ScoreHistory;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>Past scores from each deal's score history: every batch score and every real-time rescore it kept.</summary>
public sealed class HistoryPastScores(IScoreHistory history) : IPastScores
{
    public async IAsyncEnumerable<PastScore> ForDealsAsync(IReadOnlySet<string> dealKeys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in dealKeys)
            foreach (var entry in await history.ReadAsync(key, cancellationToken))
                yield return new PastScore(key, entry.AsOf, entry.Score, entry.Level, entry.Scorer, entry.ModelVersion);
    }
}
