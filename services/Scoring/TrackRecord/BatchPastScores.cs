using System.Runtime.CompilerServices;
using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// Past scores as the daily batches stored them, one per deal and batch: the scores of real-time rescores between
/// batches are not kept (only each deal's latest is), so a deal's first HIGH flag is known to the day of a batch.
/// </summary>
public sealed class BatchPastScores(ScoreStore store) : IPastScores
{
    public async IAsyncEnumerable<PastScore> ForDealsAsync(IReadOnlySet<string> dealKeys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (dealKeys.Count == 0)
            yield break;
        await foreach (var chunk in store.ScoreChunks.ScanAsync(cancellationToken))
            foreach (var score in chunk.Scores)
            {
                var key = ClosedDealScores.KeyOf(score.Deal);
                if (dealKeys.Contains(key))
                    yield return new PastScore(key, chunk.AsOf, score.Score, score.Level, score.Scorer, score.ModelVersion);
            }
    }
}
