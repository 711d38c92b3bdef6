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
    /// <summary>
    /// How many scores are recorded at a time. A slice's history entries, previous scores and movements are garbage
    /// before the next slice starts, so what a batch chunk keeps alive while it is recorded (and what every collection
    /// during a batch copies) is one slice's, not the whole chunk's.
    /// </summary>
    public const int DealsPerSlice = 1000;

    public async Task<IReadOnlyList<DealRiskScore>> RecordAsync(FeaturesComputed computed, IReadOnlyList<DealRiskScore> scores, CancellationToken cancellationToken)
    {
        if (computed.Batch is { ChunkIndex: 0 })
            await history.PruneAsync(computed.AsOf, cancellationToken);
        var triggers = TriggersOf(computed, scores.Count);
        var published = new DealRiskScore[scores.Count];
        for (var start = 0; start < scores.Count; start += DealsPerSlice)
            await RecordSliceAsync(computed.AsOf, scores, triggers, start, Math.Min(DealsPerSlice, scores.Count - start), published, cancellationToken);
        return published;
    }

    private async Task RecordSliceAsync(
        DateTimeOffset asOf, IReadOnlyList<DealRiskScore> scores, ScoreTrigger[] triggers, int start, int count, DealRiskScore[] published,
        CancellationToken cancellationToken)
    {
        var historyTriggers = new HistoryTrigger[count];
        var entries = new ScoreHistoryEntry[count];
        var deals = new Dictionary<string, DealProfile>(count);
        for (var i = 0; i < count; i++)
        {
            var at = start + i;
            historyTriggers[i] = i > 0 && ReferenceEquals(triggers[at], triggers[at - 1]) ? historyTriggers[i - 1] : HistoryTrigger.Of(triggers[at]);
            entries[i] = ScoreHistoryEntry.Of(scores[at], asOf, historyTriggers[i]);
            deals[entries[i].DealKey] = scores[at].Deal;
        }
        // The movements as computed, so the published scores need not convert them back from the history's form.
        var movements = new Dictionary<ScoreHistoryEntry, ScoreMovement>(ReferenceEqualityComparer.Instance);
        ScoreHistoryEntry Complete(ScoreHistoryEntry? previous, ScoreHistoryEntry current)
        {
            if (previous is null)
                return current;
            var movement = ScoreMovements.Between(previous, current, deals[current.DealKey]);
            var completed = current with { Movement = HistoryMovement.Of(movement) };
            movements[completed] = movement;
            return completed;
        }
        var recorded = await history.AppendAsync(entries, Complete, cancellationToken);
        for (var i = 0; i < count; i++)
            published[start + i] = scores[start + i] with
            {
                Trigger = ReferenceEquals(recorded[i].Trigger, historyTriggers[i]) ? triggers[start + i] : recorded[i].Trigger.ToContract(),
                Movement = movements.TryGetValue(recorded[i], out var movement) ? movement : recorded[i].Movement?.ToContract(),
                Contributions = null,
                RawScore = null,
            };
    }

    /// <summary>Each score's trigger: the deal's own when a message carries several deals' changes, else the message's one (shared).</summary>
    private ScoreTrigger[] TriggersOf(FeaturesComputed computed, int count)
    {
        var inferred = computed.Trigger is null ? ScoreTrigger.Inferred(computed.Batch, time.GetUtcNow(), computed.AsOf) : null;
        var triggers = new ScoreTrigger[count];
        for (var i = 0; i < count; i++)
            triggers[i] = computed.TriggerOf(i) ?? inferred!;
        return triggers;
    }
}
