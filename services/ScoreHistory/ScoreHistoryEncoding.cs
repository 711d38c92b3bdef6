using System.Globalization;
using MemoryPack;

namespace DealRisk.ScoreHistory;

/// <summary>How a <see cref="ScoreHistoryEntry"/> is stored: MemoryPack bytes, filed by its month, unique within its deal by (as-of, deal version).</summary>
public static class ScoreHistoryEncoding
{
    /// <summary>The entry's id within its deal, so a redelivered score lands on the same entry.</summary>
    public static string IdOf(ScoreHistoryEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.AsOf.UtcTicks}|{entry.DealVersion}");

    /// <summary>yyyy-MM of the as-of: whole months fall out of retention at once.</summary>
    public static string MonthOf(DateTimeOffset asOf) => asOf.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static byte[] Encode(ScoreHistoryEntry entry) => MemoryPackSerializer.Serialize(entry);

    public static ScoreHistoryEntry Decode(byte[] encoded)
    {
        try
        {
            return MemoryPackSerializer.Deserialize<ScoreHistoryEntry>(encoded) ?? throw new InvalidDataException("An empty score history entry is stored.");
        }
        catch (MemoryPackSerializationException e)
        {
            throw new InvalidDataException($"A stored score history entry cannot be read: {e.Message}", e);
        }
    }
}
