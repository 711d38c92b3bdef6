using System.Text;
using DealRisk.Contracts;
using DealRisk.Storage;
using MemoryPack;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// A deal's index entry as a binary row keyed by <see cref="DealKey"/>: a first byte that says whether the deal is
/// closed, so a batch picks out its closed or its open deals without decoding the others, then the entry as MemoryPack.
/// </summary>
public static class DealIndexRows
{
    private const byte Open = 0;
    private const byte Closed = 1;

    public static BinaryRow Encode(DealIndexEntry entry)
    {
        var entryBytes = MemoryPackSerializer.Serialize(entry);
        var payload = new byte[entryBytes.Length + 1];
        payload[0] = entry.IsClosed ? Closed : Open;
        entryBytes.CopyTo(payload, 1);
        return new BinaryRow(DealKey.Of(entry.Source, entry.ExternalId), entry.Version, payload);
    }

    /// <summary>The entry of a stored row read in place, or null when the deal is not in the state asked for (no allocation).</summary>
    public static DealIndexEntry? DecodeIf(bool closed, ReadOnlySpan<byte> utf8Id, ReadOnlySpan<byte> payload) =>
        IsClosed(utf8Id, payload) == closed ? Decode(utf8Id, payload) : null;

    private static bool IsClosed(ReadOnlySpan<byte> utf8Id, ReadOnlySpan<byte> payload) => payload is [var state, ..] && state switch
    {
        Closed => true,
        Open => false,
        _ => throw Unreadable(utf8Id, $"it starts with {state}, neither open (0) nor closed (1)"),
    };

    private static DealIndexEntry Decode(ReadOnlySpan<byte> utf8Id, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
            throw Unreadable(utf8Id, $"it holds {payload.Length} bytes");
        try
        {
            return MemoryPackSerializer.Deserialize<DealIndexEntry>(payload[1..]) ?? throw Unreadable(utf8Id, "it holds no entry");
        }
        catch (MemoryPackSerializationException e)
        {
            throw Unreadable(utf8Id, e.Message, e);
        }
    }

    private static InvalidDataException Unreadable(ReadOnlySpan<byte> utf8Id, string why, Exception? cause = null) =>
        new($"The deal index entry of '{Encoding.UTF8.GetString(utf8Id)}' cannot be read: {why}.", cause);
}
