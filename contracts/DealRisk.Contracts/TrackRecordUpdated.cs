namespace DealRisk.Contracts;

/// <summary>
/// How well the served scorer and the rules predicted losses: on the latest training's holdout and on deals closed since
/// the served model's training window, overall and per segment, with the drift state of the model's top features.
/// Published after every training and with every batch; the newest <see cref="ComputedAt"/> wins.
/// </summary>
public sealed record TrackRecordUpdated
{
    public required Guid CorrelationId { get; init; }
    /// <summary>"training" or "batch": what refreshed it.</summary>
    public required string Trigger { get; init; }
    /// <summary>The batch that refreshed it, when a batch did.</summary>
    public Guid? BatchId { get; init; }
    public DateOnly? AsOf { get; init; }
    public required DateTimeOffset ComputedAt { get; init; }
    /// <summary>"rules" or "model".</summary>
    public required string ServedScorer { get; init; }
    public string? ServedModelVersion { get; init; }
    /// <summary>Deals closed after this day count as closed since training.</summary>
    public DateOnly? TrainedTo { get; init; }
    /// <summary>The score a HIGH and a CRITICAL flag start at.</summary>
    public required int HighThreshold { get; init; }
    public required int CriticalThreshold { get; init; }
    /// <summary>An industry or region is evaluated on its own only with at least this many closed deals.</summary>
    public int MinimumSegmentDeals { get; init; }
    /// <summary>When the figures on closed deals were last computed: at a training, when the outcomes arrive.</summary>
    public DateTimeOffset? EvaluatedAt { get; init; }
    public IReadOnlyList<ScorerEvaluation> Evaluations { get; init; } = [];
    public IReadOnlyList<FeatureDriftState> Drift { get; init; } = [];
    /// <summary>The batch day the drift was measured on; null until a model scored a batch.</summary>
    public DateOnly? DriftAsOf { get; init; }
}

/// <summary>One scorer on one set of closed deals.</summary>
public sealed record ScorerEvaluation
{
    public static class Populations
    {
        /// <summary>The latest training's held-out deals, replayed at the month ends they were open.</summary>
        public const string Holdout = "holdout";
        /// <summary>Deals closed after the served model's training window, with the scores the daily batches gave them while open.</summary>
        public const string ClosedSinceTraining = "closed-since-training";
    }

    /// <summary>"rules" or "model".</summary>
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>One of <see cref="Populations"/>.</summary>
    public required string Population { get; init; }
    public required TrackRecordFigures Figures { get; init; }
    /// <summary>Industries and regions with at least the minimum number of closed deals.</summary>
    public IReadOnlyList<SegmentFigures> Segments { get; init; } = [];
}

public sealed record SegmentFigures
{
    /// <summary>"industry" or "region".</summary>
    public required string Dimension { get; init; }
    public required string Name { get; init; }
    public required TrackRecordFigures Figures { get; init; }
}

/// <summary>The figures of one scorer on a set of closed deals, each scored at one or more instants while open.</summary>
public sealed record TrackRecordFigures
{
    public required int Deals { get; init; }
    public required int LostDeals { get; init; }
    /// <summary>Scores evaluated: one per deal and instant it was scored while open.</summary>
    public required int Scores { get; init; }
    /// <summary>Null when the deals are all won or all lost.</summary>
    public double? RocAuc { get; init; }
    public double? PrAuc { get; init; }
    public IReadOnlyList<CalibrationBin> Calibration { get; init; } = [];
    /// <summary>Deals ever flagged HIGH or CRITICAL, and how many of them were lost.</summary>
    public required FlagPrecision High { get; init; }
    /// <summary>Deals ever flagged CRITICAL, and how many of them were lost.</summary>
    public required FlagPrecision Critical { get; init; }
    /// <summary>
    /// The lead-time distribution: for lost deals flagged HIGH or CRITICAL while open, the whole days from the first such
    /// flag to the close, with how many lost deals had each, ascending (counts keep it small however many deals closed).
    /// </summary>
    public IReadOnlyList<LeadTime> LeadTimes { get; init; } = [];
}

public sealed record LeadTime
{
    public required int Days { get; init; }
    public required int LostDeals { get; init; }
}

public sealed record FlagPrecision
{
    public required int Flagged { get; init; }
    public required int FlaggedLost { get; init; }
    /// <summary>Null when nothing was flagged.</summary>
    public double? Precision { get; init; }
}

/// <summary>Scores whose loss probability (score / 100) fell in [From, To): how many, their mean, and the share lost.</summary>
public sealed record CalibrationBin
{
    public required double From { get; init; }
    public required double To { get; init; }
    public required int Count { get; init; }
    public required double MeanPredicted { get; init; }
    public required double ObservedLossRate { get; init; }
}

/// <summary>A top feature of the served model and its Population Stability Index on the latest batch.</summary>
public sealed record FeatureDriftState
{
    public static class States
    {
        public const string Stable = "stable";
        public const string Watch = "watch";
        public const string Shifted = "shifted";
    }

    public required string Feature { get; init; }
    public required double Importance { get; init; }
    public required double Psi { get; init; }
    /// <summary>One of <see cref="States"/>: below 0.1 stable, up to the threshold watch, above it shifted.</summary>
    public required string State { get; init; }
}
