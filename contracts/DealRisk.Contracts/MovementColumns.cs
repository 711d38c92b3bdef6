using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// The deals' movements in a <see cref="ScoreChunk"/> as columns: one row per deal that has a movement, its signal
/// movements, contribution deltas and CRM changes flattened with offsets, every repeated word (signal, reason phrase,
/// feature, level, field) once per chunk. As whole objects, a day on which every deal's reasons and model contributions
/// moved repeated those words per deal and took a chunk of 5,000 deals past MongoDB's 16 MiB.
/// </summary>
[MemoryPackable]
public sealed partial class MovementColumns
{
    public const byte Added = 0;
    public const byte Removed = 1;
    public const byte Changed = 2;

    /// <summary>Per deal, its row here or -1 when it has no movement; empty when no deal of the chunk has one.</summary>
    public int[] DealRows { get; init; } = [];

    public int[] PreviousScores { get; init; } = [];
    public StringColumn PreviousLevels { get; init; } = new();
    public DateTimeOffset[] PreviousAsOf { get; init; } = [];
    public int[] Deltas { get; init; } = [];
    public StringColumn Summaries { get; init; } = new();

    /// <summary>Movement row m's signals are rows SignalStarts[m] to SignalStarts[m + 1]; kind says Added, Removed or Changed.</summary>
    public int[] SignalStarts { get; init; } = [0];
    public byte[] SignalKinds { get; init; } = [];
    public StringColumn Signals { get; init; } = new();
    public StringColumn SignalReasons { get; init; } = new();
    /// <summary>From, To, PointsFrom, PointsTo; <see cref="double.NaN"/> for none.</summary>
    public double[] SignalFrom { get; init; } = [];
    public double[] SignalTo { get; init; } = [];
    public double[] SignalPointsFrom { get; init; } = [];
    public double[] SignalPointsTo { get; init; } = [];

    public int[] ContributionStarts { get; init; } = [0];
    public StringColumn ContributionFeatures { get; init; } = new();
    public double[] ContributionFrom { get; init; } = [];
    public double[] ContributionTo { get; init; } = [];

    public int[] ChangeStarts { get; init; } = [0];
    public DateTimeOffset[] ChangeAt { get; init; } = [];
    public StringColumn ChangeFields { get; init; } = new();
    public StringColumn ChangeFrom { get; init; } = new();
    public StringColumn ChangeTo { get; init; } = new();

    [MemoryPackIgnore]
    public int Count => PreviousScores.Length;

    public static MovementColumns Of(IReadOnlyList<ScoreMovement?> perDeal)
    {
        if (perDeal.All(movement => movement is null))
            return new MovementColumns();

        var dealRows = new int[perDeal.Count];
        var movements = new List<ScoreMovement>();
        for (var i = 0; i < perDeal.Count; i++)
        {
            dealRows[i] = perDeal[i] is null ? -1 : movements.Count;
            if (perDeal[i] is { } movement) movements.Add(movement);
        }
        // Flattened in loops: a chunk has thousands of movements, and a LINQ chain per movement was a garbage hot spot.
        var signals = new List<(byte Kind, SignalMovement Movement)>();
        var contributions = new List<ContributionDelta>();
        var changes = new List<DealChange>();
        foreach (var movement in movements)
        {
            AddKind(signals, Added, movement.Added);
            AddKind(signals, Removed, movement.Removed);
            AddKind(signals, Changed, movement.Changed);
            contributions.AddRange(movement.Contributions);
            changes.AddRange(movement.Changes);
        }
        return new MovementColumns
        {
            DealRows = dealRows,
            PreviousScores = [.. movements.Select(m => m.PreviousScore)],
            PreviousLevels = StringColumn.Of(movements.Select(m => m.PreviousLevel)),
            PreviousAsOf = [.. movements.Select(m => m.PreviousAsOf)],
            Deltas = [.. movements.Select(m => m.Delta)],
            Summaries = StringColumn.Of(movements.Select(m => m.Summary)),
            SignalStarts = Starts(movements, m => m.Added.Count + m.Removed.Count + m.Changed.Count),
            SignalKinds = [.. signals.Select(s => s.Kind)],
            Signals = StringColumn.Of(signals.Select(s => s.Movement.Signal)),
            SignalReasons = StringColumn.Of(signals.Select(s => s.Movement.Reason)),
            SignalFrom = [.. signals.Select(s => s.Movement.From ?? double.NaN)],
            SignalTo = [.. signals.Select(s => s.Movement.To ?? double.NaN)],
            SignalPointsFrom = [.. signals.Select(s => s.Movement.PointsFrom ?? double.NaN)],
            SignalPointsTo = [.. signals.Select(s => s.Movement.PointsTo ?? double.NaN)],
            ContributionStarts = Starts(movements, m => m.Contributions.Count),
            ContributionFeatures = StringColumn.Of(contributions.Select(c => c.Feature)),
            ContributionFrom = [.. contributions.Select(c => c.From)],
            ContributionTo = [.. contributions.Select(c => c.To)],
            ChangeStarts = Starts(movements, m => m.Changes.Count),
            ChangeAt = [.. changes.Select(c => c.At)],
            ChangeFields = StringColumn.Of(changes.Select(c => c.Field)),
            ChangeFrom = StringColumn.Of(changes.Select(c => c.From)),
            ChangeTo = StringColumn.Of(changes.Select(c => c.To)),
        };
    }

    /// <summary>Deal <paramref name="deal"/>'s movement, or null when it has none.</summary>
    public ScoreMovement? For(int deal)
    {
        if (DealRows.Length == 0 || DealRows[deal] < 0)
            return null;
        var row = DealRows[deal];
        var added = new List<SignalMovement>();
        var removed = new List<SignalMovement>();
        var changed = new List<SignalMovement>();
        for (var at = SignalStarts[row]; at < SignalStarts[row + 1]; at++)
        {
            var signal = new SignalMovement
            {
                Signal = Signals[at] ?? "",
                Reason = SignalReasons[at],
                From = Value(SignalFrom[at]),
                To = Value(SignalTo[at]),
                PointsFrom = Value(SignalPointsFrom[at]),
                PointsTo = Value(SignalPointsTo[at]),
            };
            (SignalKinds[at] switch { Added => added, Removed => removed, _ => changed }).Add(signal);
        }
        var contributions = new ContributionDelta[ContributionStarts[row + 1] - ContributionStarts[row]];
        for (var k = 0; k < contributions.Length; k++)
        {
            var at = ContributionStarts[row] + k;
            contributions[k] = new ContributionDelta { Feature = ContributionFeatures[at] ?? "", From = ContributionFrom[at], To = ContributionTo[at] };
        }
        var changes = new DealChange[ChangeStarts[row + 1] - ChangeStarts[row]];
        for (var k = 0; k < changes.Length; k++)
        {
            var at = ChangeStarts[row] + k;
            changes[k] = new DealChange { At = ChangeAt[at], Field = ChangeFields[at] ?? "", From = ChangeFrom[at], To = ChangeTo[at] };
        }
        return new ScoreMovement
        {
            PreviousScore = PreviousScores[row],
            PreviousLevel = PreviousLevels[row] ?? "",
            PreviousAsOf = PreviousAsOf[row],
            Delta = Deltas[row],
            Added = added,
            Removed = removed,
            Changed = changed,
            Contributions = contributions,
            Changes = changes,
            Summary = Summaries[row] ?? "",
        };
    }

    /// <summary>Throws <see cref="InvalidChunkPayloadException"/> unless the columns agree with each other and with <paramref name="deals"/>.</summary>
    public void Check(int deals)
    {
        if (DealRows.Length == 0 && Count == 0)
            return;
        if (DealRows.Length != deals)
            throw new InvalidChunkPayloadException($"{DealRows.Length} movement rows for {deals} deals");
        foreach (var row in DealRows)
            if (row < -1 || row >= Count)
                throw new InvalidChunkPayloadException($"a deal points at movement {row} of {Count}");
        var rows = Count;
        if (PreviousAsOf.Length != rows || Deltas.Length != rows)
            throw new InvalidChunkPayloadException($"movement columns disagree on {rows} movements");
        PreviousLevels.Check(nameof(PreviousLevels), rows);
        Summaries.Check(nameof(Summaries), rows);

        ScoreChunk.CheckStarts(nameof(SignalStarts), SignalStarts, rows, Signals.Count);
        var signals = Signals.Count;
        SignalReasons.Check(nameof(SignalReasons), signals);
        if (SignalKinds.Length != signals || SignalFrom.Length != signals || SignalTo.Length != signals
            || SignalPointsFrom.Length != signals || SignalPointsTo.Length != signals)
            throw new InvalidChunkPayloadException($"signal movement columns disagree on {signals} signals");

        ScoreChunk.CheckStarts(nameof(ContributionStarts), ContributionStarts, rows, ContributionFeatures.Count);
        var contributions = ContributionFeatures.Count;
        ContributionFeatures.Check(nameof(ContributionFeatures), contributions);
        if (ContributionFrom.Length != contributions || ContributionTo.Length != contributions)
            throw new InvalidChunkPayloadException($"contribution columns disagree on {contributions} contributions");

        ScoreChunk.CheckStarts(nameof(ChangeStarts), ChangeStarts, rows, ChangeAt.Length);
        var changes = ChangeAt.Length;
        ChangeFields.Check(nameof(ChangeFields), changes);
        ChangeFrom.Check(nameof(ChangeFrom), changes);
        ChangeTo.Check(nameof(ChangeTo), changes);
    }

    private static double? Value(double value) => double.IsNaN(value) ? null : value;

    private static void AddKind(List<(byte Kind, SignalMovement Movement)> signals, byte kind, IReadOnlyList<SignalMovement> movements)
    {
        for (var i = 0; i < movements.Count; i++)
            signals.Add((kind, movements[i]));
    }

    private static int[] Starts(List<ScoreMovement> movements, Func<ScoreMovement, int> count)
    {
        var starts = new int[movements.Count + 1];
        for (var i = 0; i < movements.Count; i++)
            starts[i + 1] = starts[i] + count(movements[i]);
        return starts;
    }
}
