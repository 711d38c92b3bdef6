using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// The payload of <see cref="DealChunkScored"/>: per deal its profile, score, level, action and scorer as columns; its
/// reasons and factors (signal, value, points, rule, as in <see cref="ScoreReason"/>) flattened, each deal's run
/// starting at its offset, and its movement (<see cref="MovementColumns"/>). Repeated words (levels, actions, reason
/// phrases, signal and rule names) travel once per chunk.
/// </summary>
[MemoryPackable]
public sealed partial class ScoreChunk
{
    public DealColumns Deals { get; init; } = new();
    public int[] Scores { get; init; } = [];
    public StringColumn Levels { get; init; } = new();
    public StringColumn Actions { get; init; } = new();
    public StringColumn Scorers { get; init; } = new();
    public StringColumn ModelVersions { get; init; } = new();

    /// <summary>Deal i's reasons are rows ReasonStarts[i] to ReasonStarts[i + 1] of <see cref="Reasons"/>.</summary>
    public int[] ReasonStarts { get; init; } = [0];
    public StringColumn Reasons { get; init; } = new();

    /// <summary>Deal i's factors are rows FactorStarts[i] to FactorStarts[i + 1] of the factor columns.</summary>
    public int[] FactorStarts { get; init; } = [0];
    public StringColumn FactorSignals { get; init; } = new();
    /// <summary><see cref="double.NaN"/> for a factor without a value.</summary>
    public double[] FactorValues { get; init; } = [];
    public double[] FactorPoints { get; init; } = [];
    public StringColumn FactorRules { get; init; } = new();

    /// <summary>What made scoring score this chunk (the batch); null before the history kept triggers.</summary>
    public ScoreTrigger? Trigger { get; init; }
    /// <summary>Per deal, its movement against its previous score (none for its first), as columns.</summary>
    public MovementColumns Movements { get; init; } = new();

    [MemoryPackIgnore]
    public int Count => Scores.Length;

    public static ScoreChunk Of(IReadOnlyList<DealRiskScore> scores)
    {
        var reasonStarts = new int[scores.Count + 1];
        var factorStarts = new int[scores.Count + 1];
        for (var i = 0; i < scores.Count; i++)
        {
            reasonStarts[i + 1] = reasonStarts[i] + scores[i].Reasons.Count;
            factorStarts[i + 1] = factorStarts[i] + scores[i].Factors.Count;
        }
        var factors = scores.SelectMany(s => s.Factors).ToList();
        return new ScoreChunk
        {
            Deals = DealColumns.Of([.. scores.Select(s => s.Deal)]),
            Scores = [.. scores.Select(s => s.Score)],
            Levels = StringColumn.Of(scores.Select(s => s.Level)),
            Actions = StringColumn.Of(scores.Select(s => s.Action)),
            Scorers = StringColumn.Of(scores.Select(s => s.Scorer)),
            ModelVersions = StringColumn.Of(scores.Select(s => s.ModelVersion)),
            ReasonStarts = reasonStarts,
            Reasons = StringColumn.Of(scores.SelectMany(s => s.Reasons)),
            FactorStarts = factorStarts,
            FactorSignals = StringColumn.Of(factors.Select(f => f.Signal)),
            FactorValues = [.. factors.Select(f => f.Value ?? double.NaN)],
            FactorPoints = [.. factors.Select(f => f.Points)],
            FactorRules = StringColumn.Of(factors.Select(f => f.Rule)),
            Trigger = scores.Count > 0 ? scores[0].Trigger : null,
            Movements = MovementColumns.Of([.. scores.Select(s => s.Movement)]),
        };
    }

    public static ScoreChunk Read(byte[] payload)
    {
        var chunk = ChunkPayload.Read<ScoreChunk>(payload);
        chunk.Check();
        return chunk;
    }

    public byte[] ToBytes() => ChunkPayload.Write(this);

    public DealRiskScore this[int row]
    {
        get
        {
            var reasons = new string[ReasonStarts[row + 1] - ReasonStarts[row]];
            for (var k = 0; k < reasons.Length; k++)
                reasons[k] = Reasons[ReasonStarts[row] + k] ?? "";
            var factors = new ScoreReason[FactorStarts[row + 1] - FactorStarts[row]];
            for (var k = 0; k < factors.Length; k++)
            {
                var at = FactorStarts[row] + k;
                factors[k] = new ScoreReason
                {
                    Signal = FactorSignals[at] ?? "",
                    Value = double.IsNaN(FactorValues[at]) ? null : FactorValues[at],
                    Points = FactorPoints[at],
                    Rule = FactorRules[at],
                };
            }
            return new DealRiskScore
            {
                Deal = Deals[row],
                Score = Scores[row],
                Level = Levels[row] ?? "",
                Reasons = reasons,
                Factors = factors,
                Action = Actions[row] ?? "",
                Scorer = Scorers[row] ?? "",
                ModelVersion = ModelVersions[row],
                Trigger = Trigger,
                Movement = Movements.For(row),
            };
        }
    }

    public IEnumerable<DealRiskScore> All()
    {
        for (var row = 0; row < Count; row++)
            yield return this[row];
    }

    private void Check()
    {
        var rows = Count;
        Deals.Check();
        if (Deals.Count != rows)
            throw new InvalidChunkPayloadException($"{rows} scores for {Deals.Count} deals");
        Levels.Check(nameof(Levels), rows);
        Actions.Check(nameof(Actions), rows);
        Scorers.Check(nameof(Scorers), rows);
        ModelVersions.Check(nameof(ModelVersions), rows);
        CheckStarts(nameof(ReasonStarts), ReasonStarts, rows, Reasons.Count);
        CheckStarts(nameof(FactorStarts), FactorStarts, rows, FactorSignals.Count);
        Reasons.Check(nameof(Reasons), Reasons.Count);
        var factors = FactorSignals.Count;
        FactorSignals.Check(nameof(FactorSignals), factors);
        FactorRules.Check(nameof(FactorRules), factors);
        if (FactorValues.Length != factors || FactorPoints.Length != factors)
            throw new InvalidChunkPayloadException($"{FactorValues.Length} factor values and {FactorPoints.Length} points for {factors} factors");
        Movements.Check(rows);
    }

    internal static void CheckStarts(string name, int[] starts, int rows, int total)
    {
        if (starts.Length != rows + 1 || starts[0] != 0 || starts[rows] != total)
            throw new InvalidChunkPayloadException($"{name} does not span the {total} rows of {rows} deals");
        for (var i = 0; i < rows; i++)
            if (starts[i + 1] < starts[i])
                throw new InvalidChunkPayloadException($"{name} goes backwards at deal {i}");
    }
}
