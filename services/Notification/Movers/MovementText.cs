using DealRisk.Contracts;

namespace DealRisk.Notification.Movers;

/// <summary>A score's movement in the few words a row, a line or a cell has room for.</summary>
public static class MovementText
{
    /// <summary>The strongest single change: a new reason, a reason that moved, a CRM change, a reason gone.</summary>
    public static string TopChange(ScoreMovement? movement)
    {
        if (movement is null) return "";
        if (movement.Added.MaxBy(s => Math.Abs(s.PointsTo ?? 0)) is { } added) return $"{added.Reason ?? added.Signal} (new)";
        if (movement.Changed.MaxBy(s => Math.Abs((s.PointsTo ?? 0) - (s.PointsFrom ?? 0))) is { } changed) return changed.Reason ?? changed.Signal;
        if (movement.Changes.LastOrDefault() is { } change) return $"{change.Field}: {change.From ?? "none"} → {change.To ?? "none"}";
        if (movement.Removed.MaxBy(s => Math.Abs(s.PointsFrom ?? 0)) is { } removed) return $"no longer: {removed.Reason ?? removed.Signal}";
        return "";
    }

    /// <summary>The alert's "Why now": the movement's sentence, or for a first score what triggered it.</summary>
    public static string WhyNow(DealRiskScore score) =>
        score.Movement?.Summary
        ?? (score.Trigger is { Kind: ScoreTrigger.CrmChangeKind, Changes.Count: > 0 } trigger
            ? $"First score, after {string.Join(", ", trigger.Changes.Select(c => $"{c.Field}: {c.From ?? "none"} → {c.To ?? "none"}"))}"
            : "First score of this deal");
}
