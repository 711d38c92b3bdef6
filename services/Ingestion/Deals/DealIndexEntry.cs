using DealRisk.Contracts;
using MemoryPack;

namespace DealRisk.Ingestion.Deals;

/// <summary>What a batch needs to know of a deal to place it — identity, version and dates — without reading the whole deal.</summary>
[MemoryPackable]
public sealed partial record DealIndexEntry
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required long Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public bool IsClosed { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static DealIndexEntry Of(DealSnapshot deal) => new()
    {
        Source = deal.Source,
        ExternalId = deal.ExternalId,
        Version = deal.Version,
        CreatedAt = deal.CreatedAt,
        ClosedAt = deal.ClosedAt,
        IsClosed = deal.IsClosed,
        UpdatedAt = deal.UpdatedAt,
    };

    [MemoryPackIgnore]
    public DealRef Ref => new() { Source = Source, ExternalId = ExternalId, Version = Version };
}
