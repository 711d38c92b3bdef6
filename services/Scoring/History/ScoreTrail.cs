using DealRisk.Contracts;
using DealRisk.ScoreHistory;

namespace DealRisk.Scoring.History;

/// <summary>
/// Puts every new score in the deal's history with its trigger (the batch, or the CRM change that asked for it) and
/// its movement against the deal's previous score, and returns the scores as they are published: with trigger and
/// movement, without the model's full contribution list (kept in the history only).
/// </summary>
public sealed class ScoreTrail(IScoreHistory history, TimeProvider time)
{
    public async Task<IReadOnlyList<DealRiskScore>> RecordAsync(FeaturesComputed computed, IReadOnlyList<DealRiskScore> scores, CancellationToken cancellationToken)
    {
        if (computed.Batch is { ChunkIndex: 0 })
            await history.PruneAsync(computed.AsOf, cancellationToken);
        var trigger = TriggerOf(computed);
        var entries = new ScoreHistoryEntry[scores.Count];
        var deals = new Dictionary<string, DealProfile>(scores.Count);
        for (var i = 0; i < scores.Count; i++)
        {
            entries[i] = ScoreHistoryEntry.Of(scores[i], computed.AsOf, trigger);
            deals[entries[i].DealKey] = scores[i].Deal;
        }
        var recorded = await history.AppendAsync(entries, (previous, current) => ScoreMovements.Complete(previous, current, deals[current.DealKey]), cancellationToken);
        var published = new DealRiskScore[scores.Count];
        for (var i = 0; i < scores.Count; i++)
            published[i] = scores[i] with
            {
                Trigger = recorded[i].Trigger.ToContract(),
                Movement = recorded[i].Movement?.ToContract(),
                Contributions = null,
                RawScore = null,
            };
        return published;
    }

    private ScoreTrigger TriggerOf(FeaturesComputed computed) =>
        computed.Trigger ?? ScoreTrigger.Inferred(computed.Batch, time.GetUtcNow(), computed.AsOf);
}
