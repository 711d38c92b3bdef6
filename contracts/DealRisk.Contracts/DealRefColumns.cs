using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>A batch chunk's <see cref="DealRef"/>s as columns, one row per deal: the sources repeat, so they travel once.</summary>
[MemoryPackable]
public sealed partial class DealRefColumns
{
    public StringColumn Source { get; init; } = new();
    public string[] ExternalId { get; init; } = [];
    public long[] Version { get; init; } = [];

    public static DealRefColumns Of(IReadOnlyList<DealRef> deals)
    {
        var externalIds = new string[deals.Count];
        var versions = new long[deals.Count];
        for (var row = 0; row < deals.Count; row++)
        {
            externalIds[row] = deals[row].ExternalId;
            versions[row] = deals[row].Version;
        }
        return new DealRefColumns { Source = StringColumn.Of(deals.Select(deal => deal.Source)), ExternalId = externalIds, Version = versions };
    }

    /// <summary>Throws <see cref="InvalidChunkPayloadException"/> for a payload that cannot be read or whose columns do not line up.</summary>
    public static IReadOnlyList<DealRef> Read(byte[] payload)
    {
        var columns = ChunkPayload.Read<DealRefColumns>(payload);
        var rows = columns.ExternalId.Length;
        columns.Source.Check(nameof(Source), rows);
        if (columns.Version.Length != rows)
            throw new InvalidChunkPayloadException($"column {nameof(Version)} has {columns.Version.Length} rows, expected {rows}");
        var deals = new DealRef[rows];
        for (var row = 0; row < rows; row++)
        {
            deals[row] = new DealRef
            {
                Source = columns.Source[row] ?? throw new InvalidChunkPayloadException($"deal reference {row} has no source"),
                ExternalId = columns.ExternalId[row] ?? throw new InvalidChunkPayloadException($"deal reference {row} has no external id"),
                Version = columns.Version[row],
            };
        }
        return deals;
    }

    public static byte[] ToBytes(IReadOnlyList<DealRef> deals) => ChunkPayload.Write(Of(deals));
}
