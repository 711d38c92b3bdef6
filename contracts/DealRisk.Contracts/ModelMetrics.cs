namespace DealRisk.Contracts;

/// <summary>How well a scorer separated won from lost deals on a time-ordered holdout.</summary>
public sealed record ModelMetrics
{
    public required double RocAuc { get; init; }
    public required double PrAuc { get; init; }
    /// <summary>Precision and recall of "lost" at the alert threshold (HIGH or worse).</summary>
    public required double PrecisionAtAlert { get; init; }
    public required double RecallAtAlert { get; init; }
    /// <summary>Mean squared error of the predicted loss probability (lower is better calibrated).</summary>
    public required double BrierScore { get; init; }
    public required int HoldoutDeals { get; init; }
}
