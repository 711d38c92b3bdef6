using DealRisk.Contracts;
using MemoryPack;

namespace DealRisk.ScoreHistory;

/// <summary>
/// One score of one deal as the history keeps it: what it was computed on, the signals behind it, what triggered it
/// and how it moved from the previous one. Stored in compact binary blocks (see <see cref="ScoreHistoryLog"/>).
/// </summary>
[MemoryPackable]
public sealed partial record ScoreHistoryEntry
{
    public required string DealKey { get; init; }
    /// <summary>The deal's name as scored, for the pages that show one deal's history.</summary>
    public string? Name { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required long DealVersion { get; init; }
    [PooledString]
    public required string Scorer { get; init; }
    [PooledString]
    public string? ModelVersion { get; init; }
    public required int Score { get; init; }
    [PooledString]
    public required string Level { get; init; }
    [PooledString]
    public required string Stage { get; init; }
    public int? DaysInStage { get; init; }
    public required string[] Reasons { get; init; }
    public required HistoryFactor[] Factors { get; init; }
    /// <summary>Model scores: every feature's contribution to the raw score.</summary>
    public HistoryFactor[]? Contributions { get; init; }
    public double? RawScore { get; init; }
    public required HistoryTrigger Trigger { get; init; }
    public HistoryMovement? Movement { get; init; }
    /// <summary>Last, so entries stored before it was kept still read (as null).</summary>
    [PooledString]
    public string? Action { get; init; }

    /// <summary>Orders scores as <see cref="ScoreRecency"/> does: the deal version, then the as-of instant.</summary>
    public bool IsOlderThan(ScoreHistoryEntry other) =>
        DealVersion != other.DealVersion ? DealVersion < other.DealVersion : AsOf < other.AsOf;

    public bool IsSameScoreAs(ScoreHistoryEntry other) => DealVersion == other.DealVersion && AsOf == other.AsOf;

    public HistoricScore ToContract() => new()
    {
        Name = Name,
        AsOf = AsOf,
        DealVersion = DealVersion,
        Scorer = Scorer,
        ModelVersion = ModelVersion,
        Score = Score,
        Level = Level,
        Stage = Stage,
        DaysInStage = DaysInStage,
        Reasons = Reasons,
        Factors = [.. Factors.Select(factor => factor.ToContract())],
        Trigger = Trigger.ToContract(),
        Movement = Movement?.ToContract(),
        Action = Action,
    };

    public static ScoreHistoryEntry Of(DealRiskScore score, DateTimeOffset asOf, ScoreTrigger trigger) => Of(score, asOf, HistoryTrigger.Of(trigger));

    /// <summary>With the trigger already in the history's form: a batch chunk's scores share one.</summary>
    public static ScoreHistoryEntry Of(DealRiskScore score, DateTimeOffset asOf, HistoryTrigger trigger) => new()
    {
        DealKey = Contracts.DealKey.Of(score.Deal),
        Name = score.Deal.Name,
        AsOf = asOf,
        DealVersion = score.Deal.Version,
        Scorer = score.Scorer,
        ModelVersion = score.ModelVersion,
        Score = score.Score,
        Level = score.Level,
        Stage = score.Deal.Stage,
        DaysInStage = score.Deal.DaysInStage,
        Reasons = score.Reasons as string[] ?? [.. score.Reasons],
        Factors = HistoryArrays.Of(score.Factors, HistoryFactor.Of),
        Contributions = score.Contributions is { } contributions ? HistoryArrays.Of(contributions, HistoryFactor.Of) : null,
        RawScore = score.RawScore,
        Trigger = trigger,
        Movement = score.Movement is { } movement ? HistoryMovement.Of(movement) : null,
        Action = score.Action,
    };
}

[MemoryPackable]
public sealed partial record HistoryFactor([property: PooledString] string Signal, double? Value, double Points, [property: PooledString] string? Rule)
{
    public static HistoryFactor Of(ScoreReason reason) => new(reason.Signal, reason.Value, reason.Points, reason.Rule);

    public ScoreReason ToContract() => new() { Signal = Signal, Value = Value, Points = Points, Rule = Rule };
}

[MemoryPackable]
public sealed partial record HistoryChange(DateTimeOffset At, [property: PooledString] string Field, [property: PooledString] string? From, [property: PooledString] string? To)
{
    public static HistoryChange Of(DealChange change) => new(change.At, change.Field, change.From, change.To);

    public DealChange ToContract() => new() { At = At, Field = Field, From = From, To = To };
}

[MemoryPackable]
public sealed partial record HistoryTrigger([property: PooledString] string Kind, Guid? BatchId, [property: PooledString] string? Source, string? EventId, DateTimeOffset At, HistoryChange[] Changes)
{
    public static HistoryTrigger Of(ScoreTrigger trigger) =>
        new(trigger.Kind, trigger.BatchId, trigger.Source, trigger.EventId, trigger.At, HistoryArrays.Of(trigger.Changes, HistoryChange.Of));

    public ScoreTrigger ToContract() => new()
    {
        Kind = Kind, BatchId = BatchId, Source = Source, EventId = EventId, At = At, Changes = [.. Changes.Select(c => c.ToContract())],
    };
}

[MemoryPackable]
public sealed partial record HistorySignal([property: PooledString] string Signal, string? Reason, double? From, double? To, double? PointsFrom, double? PointsTo)
{
    public static HistorySignal Of(SignalMovement signal) =>
        new(signal.Signal, signal.Reason, signal.From, signal.To, signal.PointsFrom, signal.PointsTo);

    public SignalMovement ToContract() => new()
    {
        Signal = Signal, Reason = Reason, From = From, To = To, PointsFrom = PointsFrom, PointsTo = PointsTo,
    };
}

[MemoryPackable]
public sealed partial record HistoryContribution([property: PooledString] string Feature, double From, double To)
{
    public ContributionDelta ToContract() => new() { Feature = Feature, From = From, To = To };
}

[MemoryPackable]
public sealed partial record HistoryMovement(
    int PreviousScore, string PreviousLevel, DateTimeOffset PreviousAsOf, int Delta,
    HistorySignal[] Added, HistorySignal[] Removed, HistorySignal[] Changed,
    HistoryContribution[] Contributions, HistoryChange[] Changes, string Summary)
{
    public static HistoryMovement Of(ScoreMovement movement) => new(
        movement.PreviousScore, movement.PreviousLevel, movement.PreviousAsOf, movement.Delta,
        HistoryArrays.Of(movement.Added, HistorySignal.Of), HistoryArrays.Of(movement.Removed, HistorySignal.Of), HistoryArrays.Of(movement.Changed, HistorySignal.Of),
        HistoryArrays.Of(movement.Contributions, static c => new HistoryContribution(c.Feature, c.From, c.To)),
        HistoryArrays.Of(movement.Changes, HistoryChange.Of), movement.Summary);

    public ScoreMovement ToContract() => new()
    {
        PreviousScore = PreviousScore,
        PreviousLevel = PreviousLevel,
        PreviousAsOf = PreviousAsOf,
        Delta = Delta,
        Added = [.. Added.Select(s => s.ToContract())],
        Removed = [.. Removed.Select(s => s.ToContract())],
        Changed = [.. Changed.Select(s => s.ToContract())],
        Contributions = [.. Contributions.Select(c => c.ToContract())],
        Changes = [.. Changes.Select(c => c.ToContract())],
        Summary = Summary,
    };
}
