namespace DealRisk.ScoreHistory;

/// <summary>
/// A deal's newest score as releases before the binary log stored it (a BSON document per deal). Read only by
/// <see cref="ScoreHistoryLayoutMigration"/>, which moves it into the log.
/// </summary>
public sealed record ScoreHistoryHead
{
    public const string LegacyCollection = "score-history-heads";

    public required string DealKey { get; init; }
    public required string Month { get; init; }
    public required long Revision { get; init; }
    public required byte[] Entry { get; init; }
}
