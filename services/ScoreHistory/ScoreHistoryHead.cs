namespace DealRisk.ScoreHistory;

/// <summary>
/// A deal's newest score (a copy of its newest <see cref="ScoreHistoryRow"/>): what the next score's movement is
/// measured against, read in bulk per chunk instead of the deal's history. <see cref="Revision"/> grows with every
/// write, so two writers of one deal cannot both win.
/// </summary>
public sealed record ScoreHistoryHead
{
    public required string DealKey { get; init; }
    public required string Month { get; init; }
    public required long Revision { get; init; }
    public required byte[] Entry { get; init; }
}
