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

    public static ScoreMovement Between(ScoreHistoryEntry previous, ScoreHistoryEntry current, DealProfile deal)
    {
        var before = SignalsBehind(previous);
        var after = SignalsBehind(current);
        var comparable = before is not null && after is not null;
        var movement = new ScoreMovement
        {
            PreviousScore = previous.Score,
            PreviousLevel = previous.Level,
            PreviousAsOf = previous.AsOf,
            Delta = current.Score - previous.Score,
            Added = comparable ? [.. after!.Values.Where(f => !before!.ContainsKey(f.Signal)).Select(f => Signal(f.Signal, null, f, deal))] : [],
            Removed = comparable ? [.. before!.Values.Where(f => !after!.ContainsKey(f.Signal)).Select(f => Signal(f.Signal, f, null, deal))] : [],
            Changed = comparable
                ? [.. after!.Values.Where(f => before!.TryGetValue(f.Signal, out var old) && Moved(old.Points, f.Points)).Select(f => Signal(f.Signal, before![f.Signal], f, deal))]
                : [],
            Contributions = ContributionDeltas(previous, current),
            Changes = [.. current.Trigger.Changes.Select(c => c.ToContract())],
            Summary = "",
        };
        var summary = comparable
            ? MovementSentence.Of(movement, current.Level, current.Score)
            : MovementSentence.Of(movement, current.Level, current.Score,
                reasonsNow: after?.Values.Select(f => SignalPhrase.Of(f.Signal, f.Value, deal)),
                note: before is null
                    ? $"the previous {previous.Level} score's reasons were not computed, so none can be called new"
                    : $"reasons are not computed for a {current.Level} score in the batch, so none can be called gone");
        return movement with { Summary = summary };
    }

    /// <summary>
    /// The signals behind a score, or null when they were not computed. Rules always give theirs. The model gives reasons
    /// only at HIGH and CRITICAL; below that, the features pushing its score up stand in where its contributions were
    /// computed (single-deal rescores), and nothing is known where they were not (the batch computes them only for
    /// HIGH and CRITICAL deals), so a movement never calls a signal new or gone on a side it cannot see.
    /// </summary>
    private static Dictionary<string, HistoryFactor>? SignalsBehind(ScoreHistoryEntry entry)
    {
        if (entry.Scorer != ModelScorer.ScorerName || entry.Factors.Length > 0 || ModelLevelCutoffs.FlagsHighOrWorse(entry.Level))
            return BySignal(entry.Factors);
        return entry.Contributions is { } contributions ? BySignal(contributions.Where(c => c.Points > 0)) : null;
    }

    private static Dictionary<string, HistoryFactor> BySignal(IEnumerable<HistoryFactor> factors) =>
        factors.GroupBy(f => f.Signal).ToDictionary(g => g.Key, g => g.First());

    private static IReadOnlyList<ContributionDelta> ContributionDeltas(ScoreHistoryEntry previous, ScoreHistoryEntry current)
    {
        if (previous.Contributions is not { } from || current.Contributions is not { } to)
            return [];
        var before = from.ToDictionary(f => f.Signal, f => f.Points);
        var after = to.ToDictionary(f => f.Signal, f => f.Points);
        return before.Keys.Union(after.Keys)
            .Select(feature => new ContributionDelta { Feature = feature, From = before.GetValueOrDefault(feature), To = after.GetValueOrDefault(feature) })
            .Where(delta => delta.Delta != 0)
            .OrderByDescending(delta => Math.Abs(delta.Delta))
            .ToList();
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
