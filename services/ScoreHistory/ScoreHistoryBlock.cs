using MemoryPack;

namespace DealRisk.ScoreHistory;

/// <summary>
/// One deal's scores of one calendar month (by as-of), as one binary block: a daily batch rewrites a block of at most
/// a month of entries per deal, not the deal's whole history, and whole months fall out of retention at once.
/// </summary>
public sealed record ScoreHistoryBlock
{
    public required string DealKey { get; init; }
    /// <summary>yyyy-MM of the entries' as-of.</summary>
    public required string Month { get; init; }
    /// <summary>Grows with every write, so two writers of one block cannot both win.</summary>
    public required long Revision { get; init; }
    /// <summary>The entries, oldest first, MemoryPack-encoded.</summary>
    public required byte[] Entries { get; init; }

    public static string IdOf(string dealKey, string month) => $"{dealKey}|{month}";

    public static string MonthOf(DateTimeOffset asOf) => asOf.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public List<ScoreHistoryEntry> Decode() => MemoryPackSerializer.Deserialize<List<ScoreHistoryEntry>>(Entries) ?? [];

    public static byte[] Encode(List<ScoreHistoryEntry> entries) => MemoryPackSerializer.Serialize(entries);
}
