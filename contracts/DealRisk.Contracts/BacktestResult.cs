namespace DealRisk.Contracts;

/// <summary>
/// One scorer replayed over the holdout's history at month ends: how early lost deals were first flagged HIGH or
/// CRITICAL before they closed, and how often a flagged deal really was lost.
/// </summary>
public sealed record BacktestResult
{
    /// <summary>"rules", or the trainer and model version.</summary>
    public required string Scorer { get; init; }
    public required int LostDeals { get; init; }
    public required int LostDealsFlagged { get; init; }
    public double? MedianDaysFlaggedBeforeClose { get; init; }
    public double? MeanDaysFlaggedBeforeClose { get; init; }
    public required int DealsFlagged { get; init; }
    /// <summary>Share of deals ever flagged HIGH or CRITICAL that were lost.</summary>
    public required double FlagPrecision { get; init; }
}
