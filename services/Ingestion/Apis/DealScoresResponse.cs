using DealRisk.Contracts;

namespace DealRisk.Ingestion.Apis;

/// <summary>One entry of <c>GET /deals/{source}/{externalId}/scores</c>.</summary>
public sealed record DealScoreItem(
    int Score, string Level, string Stage, long DealVersion, string Scorer,
    IReadOnlyList<ScoreReasonItem> Reasons, ScoreTriggerItem Trigger, ScoreMovementItem? Movement)
{
    /// <summary>
    /// The history newest first; each movement lists every change the deal's CRM history records between the previous
    /// score and this one (a batch score included), beside the ones that triggered it.
    /// </summary>
    public static IReadOnlyList<DealScoreItem> Of(IReadOnlyList<HistoricScore> newestFirst, DealSnapshot deal) =>
        [.. newestFirst.Select((entry, i) => Of(entry, i + 1 < newestFirst.Count ? newestFirst[i + 1] : null, deal))];

    private static DealScoreItem Of(HistoricScore entry, HistoricScore? previous, DealSnapshot deal) => new(
        entry.Score, entry.Level, entry.Stage, entry.DealVersion, entry.Scorer,
        [.. entry.Reasons.Select((text, i) => ScoreReasonItem.Of(text, i < entry.Factors.Count ? entry.Factors[i] : null))],
        ScoreTriggerItem.Of(entry.Trigger),
        entry.Movement is { } movement ? ScoreMovementItem.Of(movement, ChangesBetween(previous, entry, deal)) : null);

    private static IReadOnlyList<ScoreChangeItem> ChangesBetween(HistoricScore? previous, HistoricScore entry, DealSnapshot deal)
    {
        var recorded = previous is null ? [] : deal.History.Where(change => change.At > previous.AsOf && change.At <= entry.AsOf);
        return [.. recorded.Concat(entry.Trigger.Changes)
            .Distinct()
            .OrderBy(change => change.At)
            .Select(ScoreChangeItem.Of)];
    }
}

public sealed record ScoreReasonItem(string Text, string? Signal, double? Value, double? Points)
{
    public static ScoreReasonItem Of(string text, ScoreReason? factor) => new(text, factor?.Signal, factor?.Value, factor?.Points);
}

public sealed record ScoreTriggerItem(string Kind, Guid? BatchId, string? Source, string? EventId, DateTimeOffset At, IReadOnlyList<ScoreChangeItem> Changes)
{
    public static ScoreTriggerItem Of(ScoreTrigger trigger) =>
        new(trigger.Kind, trigger.BatchId, trigger.Source, trigger.EventId, trigger.At, [.. trigger.Changes.Select(ScoreChangeItem.Of)]);
}

public sealed record ScoreChangeItem(string Field, string? From, string? To, DateTimeOffset At)
{
    public static ScoreChangeItem Of(DealChange change) => new(change.Field, change.From, change.To, change.At);
}

public sealed record ScoreSignalItem(string Signal, string? Reason, double? Value, double? Points);

public sealed record ScoreMovementItem(
    int PreviousScore, string PreviousLevel, IReadOnlyList<ScoreSignalItem> Added, IReadOnlyList<ScoreSignalItem> Removed,
    IReadOnlyList<ScoreChangeItem> Changes, string Summary)
{
    public static ScoreMovementItem Of(ScoreMovement movement, IReadOnlyList<ScoreChangeItem> changes) => new(
        movement.PreviousScore, movement.PreviousLevel,
        [.. movement.Added.Select(s => new ScoreSignalItem(s.Signal, s.Reason, s.To, s.PointsTo))],
        [.. movement.Removed.Select(s => new ScoreSignalItem(s.Signal, s.Reason, s.From, s.PointsFrom))],
        changes, movement.Summary);
}
