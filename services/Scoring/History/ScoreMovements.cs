using DealRisk.Contracts;
using DealRisk.ScoreHistory;

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
        var before = previous.Factors.GroupBy(f => f.Signal).ToDictionary(g => g.Key, g => g.First());
        var after = current.Factors.GroupBy(f => f.Signal).ToDictionary(g => g.Key, g => g.First());
        var added = after.Values.Where(f => !before.ContainsKey(f.Signal))
            .Select(f => Signal(f.Signal, null, f, deal)).ToList();
        var removed = before.Values.Where(f => !after.ContainsKey(f.Signal))
            .Select(f => Signal(f.Signal, f, null, deal)).ToList();
        var changed = after.Values.Where(f => before.TryGetValue(f.Signal, out var old) && Moved(old.Points, f.Points))
            .Select(f => Signal(f.Signal, before[f.Signal], f, deal)).ToList();
        var changes = current.Trigger.Changes.Select(c => c.ToContract()).ToList();
        var movement = new ScoreMovement
        {
            PreviousScore = previous.Score,
            PreviousLevel = previous.Level,
            PreviousAsOf = previous.AsOf,
            Delta = current.Score - previous.Score,
            Added = added,
            Removed = removed,
            Changed = changed,
            Contributions = ContributionDeltas(previous, current),
            Changes = changes,
            Summary = "",
        };
        return movement with { Summary = MovementSentence.Of(movement, current.Level, current.Score) };
    }

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
