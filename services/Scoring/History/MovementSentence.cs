using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Scoring.History;

/// <summary>"Up 28 to CRITICAL: no activity for 30 days (new), close date pushed 3 times (was 2), moved back from Proposal to Demo on Nov 28".</summary>
public static class MovementSentence
{
    private const int MaxParts = 5;

    /// <param name="reasonsNow">The new score's reasons, named as they stand when the previous score's cannot be compared with them.</param>
    /// <param name="note">Why the movement names no reason as new or gone, when it cannot.</param>
    public static string Of(ScoreMovement movement, string level, int score, IEnumerable<string?>? reasonsNow = null, string? note = null)
    {
        // Built in loops, not a LINQ chain: this runs for nearly every deal of every batch.
        var parts = new List<string>(MaxParts);
        if (reasonsNow is not null)
            foreach (var reason in reasonsNow)
                if (!TryAdd(parts, Lower(reason)))
                    break;
        AddLargestFirst(parts, movement.Added, static s => Math.Abs(s.PointsTo ?? 0), static s => $"{Lower(s.Reason)} (new)");
        AddLargestFirst(parts, movement.Changed, static s => Math.Abs((s.PointsTo ?? 0) - (s.PointsFrom ?? 0)), static s => $"{Lower(s.Reason)}{Was(s.From)}");
        foreach (var change in movement.Changes)
            if (!TryAdd(parts, CrmChange(change)))
                break;
        AddLargestFirst(parts, movement.Removed, static s => Math.Abs(s.PointsFrom ?? 0), static s => $"no longer {Lower(s.Reason)}");
        var head = Head(movement, level, score);
        var sentence = parts.Count == 0 ? head : $"{head}: {string.Join(", ", parts)}";
        return note is null ? sentence : $"{sentence} ({note})";
    }

    private static bool TryAdd(List<string> parts, string part)
    {
        if (parts.Count == MaxParts)
            return false;
        parts.Add(part);
        return true;
    }

    /// <summary>The signals by size, largest first, equal sizes in their order; only as many as there is room for are put in words.</summary>
    private static void AddLargestFirst(List<string> parts, IReadOnlyList<SignalMovement> signals, Func<SignalMovement, double> size, Func<SignalMovement, string> words)
    {
        if (signals.Count == 0 || parts.Count == MaxParts)
            return;
        if (signals.Count == 1)
        {
            parts.Add(words(signals[0]));
            return;
        }
        var order = new int[signals.Count];
        var sizes = new double[signals.Count];
        for (var i = 0; i < order.Length; i++)
            (order[i], sizes[i]) = (i, size(signals[i]));
        Array.Sort(order, (a, b) => sizes[b].CompareTo(sizes[a]) is var bySize and not 0 ? bySize : a.CompareTo(b));
        foreach (var i in order)
            if (!TryAdd(parts, words(signals[i])))
                return;
    }

    private static string Head(ScoreMovement movement, string level, int score)
    {
        var target = level != movement.PreviousLevel ? level : score.ToString(CultureInfo.InvariantCulture);
        return movement.Delta switch
        {
            > 0 => $"Up {movement.Delta} to {target}",
            < 0 => $"Down {-movement.Delta} to {target}",
            _ => level != movement.PreviousLevel ? $"Now {level}" : $"Unchanged at {score}",
        };
    }

    public static string CrmChange(DealChange change)
    {
        var on = change.At.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture);
        return change.Field switch
        {
            DealFields.Stage when DealStages.Order(change.To) < DealStages.Order(change.From) && DealStages.IsKnown(change.To) =>
                $"moved back from {change.From} to {change.To} on {on}",
            DealFields.Stage => $"moved from {change.From ?? "nowhere"} to {change.To} on {on}",
            DealFields.CloseDate when IsLater(change.To, change.From) => $"close date pushed to {change.To} on {on}",
            DealFields.CloseDate => $"close date moved to {change.To ?? "none"} on {on}",
            DealFields.Amount => $"amount changed from {change.From ?? "none"} to {change.To ?? "none"} on {on}",
            DealFields.Owner => $"owner changed on {on}",
            DealFields.NextStep => $"next step updated on {on}",
            DealFields.ContactCount => $"contacts from {change.From ?? "none"} to {change.To ?? "none"} on {on}",
            _ => $"{change.Field} changed on {on}",
        };
    }

    private static bool IsLater(string? to, string? from) =>
        DateOnly.TryParse(to, CultureInfo.InvariantCulture, out var next) && DateOnly.TryParse(from, CultureInfo.InvariantCulture, out var before) && next > before;

    private static string Was(double? value) =>
        value is { } v ? $" (was {(Math.Abs(v - Math.Round(v)) < 1e-9 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture))})" : "";

    private static string Lower(string? phrase) =>
        string.IsNullOrEmpty(phrase) ? "" : phrase.Length > 1 && char.IsUpper(phrase[0]) && char.IsLower(phrase[1]) ? char.ToLowerInvariant(phrase[0]) + phrase[1..] : phrase;
}
