using DealRisk.Contracts;

namespace DealRisk.Notification.Reports;

/// <summary>
/// One deal's current score as the report reads it: a row of a batch's <see cref="ScoreChunk"/>, read from its columns
/// with nothing materialized, or a real-time rescore laid over the batch. Only what a report keeps (its top deals,
/// critical deals, movers) becomes a <see cref="DealRiskScore"/> (<see cref="ToScore"/>).
/// </summary>
public readonly struct ReportRow
{
    private readonly ScoreChunk? _chunk;
    private readonly int _row;
    private readonly DealRiskScore? _score;

    private ReportRow(ScoreChunk? chunk, int row, DealRiskScore? score)
    {
        _chunk = chunk;
        _row = row;
        _score = score;
    }

    public static ReportRow Of(ScoreChunk chunk, int row) => new(chunk, row, null);

    public static ReportRow Of(DealRiskScore score) => new(null, 0, score);

    public DealRiskScore ToScore() => _score ?? _chunk![_row];

    public string Source => _score?.Deal.Source ?? _chunk!.Deals.Source[_row] ?? "";
    public string ExternalId => _score?.Deal.ExternalId ?? _chunk!.Deals.ExternalId[_row];
    public long Version => _score?.Deal.Version ?? _chunk!.Deals.Version[_row];
    public string? Name => _score is { } s ? s.Deal.Name : _chunk!.Deals.Name[_row];
    public string? Account => _score is { } s ? s.Deal.Account : _chunk!.Deals.Account[_row];
    public string? Owner => _score is { } s ? s.Deal.Owner : _chunk!.Deals.Owner[_row];
    public decimal? Amount => _score is { } s ? s.Deal.Amount : _chunk!.Deals.Amount[_row];
    public string Currency => _score?.Deal.Currency ?? _chunk!.Deals.Currency[_row] ?? "USD";
    public string Stage => _score?.Deal.Stage ?? _chunk!.Deals.Stage[_row] ?? "";
    public int? DaysInStage => _score is { } s ? s.Deal.DaysInStage : _chunk!.Deals.DaysInStage[_row];
    public string? Industry => _score is { } s ? s.Deal.Industry : _chunk!.Deals.Industry[_row];
    public string? Region => _score is { } s ? s.Deal.Region : _chunk!.Deals.Region[_row];
    public bool DataQualityFlag => _score?.Deal.DataQualityFlag ?? _chunk!.Deals.DataQualityFlag[_row];

    /// <summary>The missing key fields separated by spaces; empty when none is missing.</summary>
    public string MissingFields => _score is { } s
        ? string.Join(' ', s.Deal.MissingFields)
        : _chunk!.Deals.MissingFields[_row]?.Replace(',', ' ') ?? "";

    public int Score => _score?.Score ?? _chunk!.Scores[_row];
    public string Level => _score?.Level ?? _chunk!.Levels[_row] ?? "";
    public string Scorer => _score?.Scorer ?? _chunk!.Scorers[_row] ?? "";
    public string? ModelVersion => _score is { } s ? s.ModelVersion : _chunk!.ModelVersions[_row];
    public string Action => _score?.Action ?? _chunk!.Actions[_row] ?? "";

    public int ReasonCount => _score?.Reasons.Count ?? _chunk!.ReasonStarts[_row + 1] - _chunk.ReasonStarts[_row];

    public string Reason(int k) => _score is { } s ? s.Reasons[k] : _chunk!.Reasons[_chunk.ReasonStarts[_row] + k] ?? "";

    /// <summary>The deal's movement against its previous score: null for its first score.</summary>
    public RowMovement? Movement
    {
        get
        {
            if (_score is { } s)
                return s.Movement is { } movement ? new RowMovement(movement.PreviousScore, movement.PreviousLevel, movement.Delta, movement, null, -1) : null;
            var movements = _chunk!.Movements;
            if (movements.DealRows.Length == 0 || movements.DealRows[_row] is var at && at < 0)
                return null;
            return new RowMovement(movements.PreviousScores[at], movements.PreviousLevels[at] ?? "", movements.Deltas[at], null, movements, at);
        }
    }
}

/// <summary>A <see cref="ReportRow"/>'s movement: the figures the report shows, and its top change in words.</summary>
public readonly record struct RowMovement(int PreviousScore, string PreviousLevel, int Delta, ScoreMovement? Movement, MovementColumns? Columns, int Row)
{
    /// <summary>As <see cref="Movers.MovementText.TopChange"/>, read from the chunk's columns when the row is one.</summary>
    public string TopChange() => Movement is not null ? Movers.MovementText.TopChange(Movement) : ColumnsTopChange(Columns!, Row);

    private static string ColumnsTopChange(MovementColumns columns, int row)
    {
        int start = columns.SignalStarts[row], end = columns.SignalStarts[row + 1];
        if (Strongest(columns, start, end, MovementColumns.Added) is var added and >= 0)
            return $"{Words(columns, added)} (new)";
        if (Strongest(columns, start, end, MovementColumns.Changed) is var changed and >= 0)
            return Words(columns, changed);
        if (columns.ChangeStarts[row + 1] > columns.ChangeStarts[row])
        {
            var last = columns.ChangeStarts[row + 1] - 1;
            return $"{columns.ChangeFields[last] ?? ""}: {columns.ChangeFrom[last] ?? "none"} → {columns.ChangeTo[last] ?? "none"}";
        }
        if (Strongest(columns, start, end, MovementColumns.Removed) is var removed and >= 0)
            return $"no longer: {Words(columns, removed)}";
        return "";
    }

    /// <summary>The first signal of the kind with the largest strength (as <c>MaxBy</c> picks it); -1 when there is none.</summary>
    private static int Strongest(MovementColumns columns, int start, int end, byte kind)
    {
        var best = -1;
        var bestStrength = 0.0;
        for (var at = start; at < end; at++)
        {
            if (columns.SignalKinds[at] != kind)
                continue;
            var value = kind switch
            {
                MovementColumns.Added => Math.Abs(Points(columns.SignalPointsTo[at])),
                MovementColumns.Removed => Math.Abs(Points(columns.SignalPointsFrom[at])),
                _ => Math.Abs(Points(columns.SignalPointsTo[at]) - Points(columns.SignalPointsFrom[at])),
            };
            if (best < 0 || value > bestStrength)
                (best, bestStrength) = (at, value);
        }
        return best;
    }

    private static string Words(MovementColumns columns, int at) => columns.SignalReasons[at] ?? columns.Signals[at] ?? "";

    private static double Points(double value) => double.IsNaN(value) ? 0 : value;
}
