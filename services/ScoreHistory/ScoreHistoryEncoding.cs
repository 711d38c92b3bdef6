using System.Buffers;
using System.Globalization;
using DealRisk.Contracts;
using MemoryPack;

namespace DealRisk.ScoreHistory;

/// <summary>
/// How a <see cref="ScoreHistoryEntry"/> is stored: MemoryPack bytes compressed with the history's dictionary
/// (<see cref="ScoreHistoryCompression"/>; entries stored before it are plain MemoryPack and still read), filed by its
/// month, unique within its deal by (as-of, deal version).
/// </summary>
public static class ScoreHistoryEncoding
{
    /// <summary>The entry's id within its deal, so a redelivered score lands on the same entry.</summary>
    public static string IdOf(ScoreHistoryEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.AsOf.UtcTicks}|{entry.DealVersion}");

    /// <summary>
    /// The UTC day of the score whose id this is (<see cref="IdOf"/>): the log stores a day's scores together, so a
    /// morning's batch appends in one place however long the deals' histories are.
    /// </summary>
    public static long DayOf(string id)
    {
        var end = id.IndexOf('|', StringComparison.Ordinal);
        if (end <= 0 || !long.TryParse(id.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            throw new InvalidDataException($"'{id}' is not the id of a score history entry (as-of ticks|deal version).");
        return ticks / TimeSpan.TicksPerDay;
    }

    /// <summary>yyyy-MM of the as-of: whole months fall out of retention at once.</summary>
    public static string MonthOf(DateTimeOffset asOf) => asOf.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [ThreadStatic] private static ArrayBufferWriter<byte>? _serialized;

    public static byte[] Encode(ScoreHistoryEntry entry)
    {
        var serialized = _serialized ??= new ArrayBufferWriter<byte>(4096);
        serialized.ResetWrittenCount();
        MemoryPackSerializer.Serialize(serialized, entry);
        return ScoreHistoryCompression.Compress(serialized.WrittenSpan);
    }

    public static ScoreHistoryEntry Decode(ReadOnlySpan<byte> stored)
    {
        var encoded = ZstdFrame.Starts(stored) ? ScoreHistoryCompression.Decompress(stored) : stored;
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
