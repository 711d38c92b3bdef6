using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>What a reader of an alert or report needs to know about a deal, carried beside its features and score.</summary>
[MemoryPackable(GenerateType.VersionTolerant)]
public sealed partial record DealProfile
{
    [MemoryPackOrder(0)]
    public required string Source { get; init; }
    [MemoryPackOrder(1)]
    public required string ExternalId { get; init; }
    [MemoryPackOrder(2)]
    public required long Version { get; init; }
    [MemoryPackOrder(3)]
    public string? Name { get; init; }
    [MemoryPackOrder(4)]
    public string? Account { get; init; }
    [MemoryPackOrder(5)]
    public string? Owner { get; init; }
    [MemoryPackOrder(6)]
    public decimal? Amount { get; init; }
    [MemoryPackOrder(7)]
    public string Currency { get; init; } = "USD";
    [MemoryPackOrder(8)]
    public required string Stage { get; init; }
    [MemoryPackOrder(9)]
    public int? DaysInStage { get; init; }
    [MemoryPackOrder(10)]
    public string? Industry { get; init; }
    [MemoryPackOrder(11)]
    public string? Region { get; init; }
    [MemoryPackOrder(12)]
    public string? LeadSource { get; init; }
    [MemoryPackOrder(13)]
    public string? Product { get; init; }
    [MemoryPackOrder(14)]
    public bool DataQualityFlag { get; init; }
    [MemoryPackOrder(15)]
    public IReadOnlyList<string> MissingFields { get; init; } = [];
}
