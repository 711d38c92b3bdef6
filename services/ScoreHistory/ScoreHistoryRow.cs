namespace DealRisk.ScoreHistory;

/// <summary>
/// One score as releases before the binary log stored it: a BSON document per score holding the MemoryPack entry.
/// Read only by <see cref="ScoreHistoryLayoutMigration"/>, which moves it into the log.
/// </summary>
public sealed record ScoreHistoryRow
{
    public const string LegacyCollection = "score-history-entries";

    public required string DealKey { get; init; }
    public required string Month { get; init; }
    public required byte[] Entry { get; init; }
}
