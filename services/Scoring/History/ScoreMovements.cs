using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Scoring.Modeling;

namespace DealRisk.Scoring.History;

/// <summary>
/// Compares a deal's new score with its previous one by signal (not by the words): what was added, removed or moved,
/// how the model's per-feature contributions moved, and which CRM changes came with it; then says it in one sentence.
/// </summary>
public static class ScoreMovements
{
    /// <summary>A model contribution that moved by less than this share of its size is noise, not a changed reason.</summary>
    private const double ContributionNoise = 0.05;

    public static ScoreHistoryEntry Complete(ScoreHistoryEntry? previous, ScoreHistoryEntry current, DealProfile deal) =>
        previous is null ? current : current with { Movement = HistoryMovement.Of(Between(previous, current, deal)) };

    /// <summary>Loops over the few factors rather than dictionaries: it runs for every deal of every batch chunk.</summary>
    public static ScoreMovement Between(ScoreHistoryEntry previous, ScoreHistoryEntry current, DealProfile deal)
    {
        var before = SignalsBehind(previous);
        var after = SignalsBehind(current);
        var comparable = before is not null && after is not null;
        List<SignalMovement>? added = null, removed = null, changed = null;
        if (comparable)
        {
            for (var i = 0; i < after!.Length; i++)
            {
                var factor = after[i];
                if (FirstIndexOf(after, factor.Signal) != i)
                    continue;
                var old = FirstIndexOf(before!, factor.Signal) is var at and >= 0 ? before![at] : null;
                if (old is null)
                    (added ??= []).Add(Signal(factor.Signal, null, factor, deal));
                else if (Moved(old.Points, factor.Points))
                    (changed ??= []).Add(Signal(factor.Signal, old, factor, deal));
            }
            for (var i = 0; i < before!.Length; i++)
                if (FirstIndexOf(before, before[i].Signal) == i && FirstIndexOf(after, before[i].Signal) < 0)
                    (removed ??= []).Add(Signal(before[i].Signal, before[i], null, deal));
        }
        var triggerChanges = current.Trigger.Changes;
        var movement = new ScoreMovement
        {
            PreviousScore = previous.Score,
            PreviousLevel = previous.Level,
            PreviousAsOf = previous.AsOf,
            Delta = current.Score - previous.Score,
            Added = added ?? [],
            Removed = removed ?? [],
            Changed = changed ?? [],
            Contributions = ContributionDeltas(previous, current),
            Changes = triggerChanges.Length == 0 ? [] : Array.ConvertAll(triggerChanges, change => change.ToContract()),
            Summary = "",
        };
        var summary = comparable
            ? MovementSentence.Of(movement, current.Level, current.Score)
            : MovementSentence.Of(movement, current.Level, current.Score,
                reasonsNow: after?.DistinctBy(f => f.Signal).Select(f => SignalPhrase.Of(f.Signal, f.Value, deal)),
                note: before is null
                    ? $"the previous {previous.Level} score's reasons were not computed, so none can be called new"
                    : $"reasons are not computed for a {current.Level} score in the batch, so none can be called gone");
        return movement with { Summary = summary };
    }

    private static int FirstIndexOf(HistoryFactor[] factors, string signal)
    {
        for (var i = 0; i < factors.Length; i++)
            if (factors[i].Signal == signal)
                return i;
        return -1;
    }

    /// <summary>
    /// The signals behind a score, or null when they were not computed. Rules always give theirs. The model gives reasons
    /// only at HIGH and CRITICAL; below that, the features pushing its score up stand in where its contributions were
    /// computed (single-deal rescores), and nothing is known where they were not (the batch computes them only for
    /// HIGH and CRITICAL deals), so a movement never calls a signal new or gone on a side it cannot see.
    /// </summary>
    private static HistoryFactor[]? SignalsBehind(ScoreHistoryEntry entry)
    {
        if (entry.Scorer != ModelScorer.ScorerName || entry.Factors.Length > 0 || ModelLevelCutoffs.FlagsHighOrWorse(entry.Level))
            return entry.Factors;
        return entry.Contributions is { } contributions ? Array.FindAll(contributions, c => c.Points > 0) : null;
    }

    /// <summary>Every feature whose contribution moved, the largest move first (ties in the features' order, previous score's first).</summary>
    private static IReadOnlyList<ContributionDelta> ContributionDeltas(ScoreHistoryEntry previous, ScoreHistoryEntry current)
    {
        if (previous.Contributions is not { } from || current.Contributions is not { } to)
            return [];
        var deltas = new List<ContributionDelta>();
        if (SameFeaturesInOrder(from, to))
        {
            for (var i = 0; i < from.Length; i++)
                Add(deltas, from[i].Signal, from[i].Points, to[i].Points);
        }
        else
        {
            var before = from.ToDictionary(f => f.Signal, f => f.Points);
            var after = to.ToDictionary(f => f.Signal, f => f.Points);
            foreach (var feature in before.Keys.Union(after.Keys))
                Add(deltas, feature, before.GetValueOrDefault(feature), after.GetValueOrDefault(feature));
        }
        if (deltas.Count == 0)
            return [];
        var order = new int[deltas.Count];
        var magnitudes = new double[deltas.Count];
        for (var i = 0; i < order.Length; i++)
            (order[i], magnitudes[i]) = (i, -Math.Abs(deltas[i].Delta));
        // A stable sort by magnitude: equal moves keep the features' order, as OrderByDescending did.
        Array.Sort(order, (a, b) => magnitudes[a] != magnitudes[b] ? magnitudes[a].CompareTo(magnitudes[b]) : a.CompareTo(b));
        return Array.ConvertAll(order, i => deltas[i]);
    }

    private static void Add(List<ContributionDelta> deltas, string feature, double from, double to)
    {
        var delta = new ContributionDelta { Feature = feature, From = from, To = to };
        if (delta.Delta != 0)
            deltas.Add(delta);
    }

    private static bool SameFeaturesInOrder(HistoryFactor[] from, HistoryFactor[] to)
    {
        if (from.Length != to.Length)
            return false;
        for (var i = 0; i < from.Length; i++)
            if (from[i].Signal != to[i].Signal)
                return false;
        return true;
    }

    private static bool Moved(double from, double to) =>
        Math.Abs(to - from) > Math.Max(1e-9, ContributionNoise * Math.Max(Math.Abs(from), Math.Abs(to)));

    private static SignalMovement Signal(string signal, HistoryFactor? from, HistoryFactor? to, DealProfile deal) => new()
    {
        Signal = signal,
        Reason = SignalPhrase.Of(signal, (to ?? from)!.Value, deal),
        From = from?.Value,
        To = to?.Value,
        PointsFrom = from?.Points,
        PointsTo = to?.Points,
    };
}
