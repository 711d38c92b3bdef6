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

    public static bool IsClosed(BinaryRow row) => row.Payload is [var state, ..] && state switch
    {
        Closed => true,
        Open => false,
        _ => throw Unreadable(row, $"it starts with {state}, neither open (0) nor closed (1)"),
    };

    public static DealIndexEntry Decode(BinaryRow row)
    {
        if (row.Payload.Length < 2)
            throw Unreadable(row, $"it holds {row.Payload.Length} bytes");
        try
        {
            return MemoryPackSerializer.Deserialize<DealIndexEntry>(row.Payload.AsSpan(1)) ?? throw Unreadable(row, "it holds no entry");
        }
        catch (MemoryPackSerializationException e)
        {
            throw Unreadable(row, e.Message, e);
        }
    }

    private static InvalidDataException Unreadable(BinaryRow row, string why, Exception? cause = null) =>
        new($"The deal index entry of '{row.Id}' cannot be read: {why}.", cause);
}
