using MemoryPack;

namespace DealRisk.ScoreHistory;

/// <summary>
/// One score of one deal, MemoryPack-encoded on its own and never rewritten: appending costs the same whatever the
/// deal already holds. Keyed by (deal, as-of, deal version), so a redelivered score lands on the same row.
/// </summary>
public sealed record ScoreHistoryRow
{
    public required string DealKey { get; init; }
    /// <summary>yyyy-MM of the entry's as-of: whole months fall out of retention at once.</summary>
    public required string Month { get; init; }
    public required byte[] Entry { get; init; }

    public static string IdOf(ScoreHistoryEntry entry) =>
        $"{entry.DealKey}|{entry.AsOf.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{entry.DealVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static string MonthOf(DateTimeOffset asOf) => asOf.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public static ScoreHistoryRow Of(ScoreHistoryEntry entry, byte[] encoded) => new() { DealKey = entry.DealKey, Month = MonthOf(entry.AsOf), Entry = encoded };

    public ScoreHistoryEntry Decode() => Decode(Entry);

    public static ScoreHistoryEntry Decode(byte[] encoded) =>
        MemoryPackSerializer.Deserialize<ScoreHistoryEntry>(encoded) ?? throw new InvalidDataException("An empty score history entry is stored.");

    public static byte[] Encode(ScoreHistoryEntry entry) => MemoryPackSerializer.Serialize(entry);
}
