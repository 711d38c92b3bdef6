using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// The canonical deal as ingestion holds it, with its history: the state that travels with
/// every deal event so no consumer has to call back into ingestion. Stored in binary by the feature service
/// (MemoryPack, version tolerant: a new property takes the next order number and copies stored before still read).
/// </summary>
[MemoryPackable(GenerateType.VersionTolerant)]
public sealed partial record DealSnapshot
{
    [MemoryPackOrder(0)]
    [PooledString]
    public required string Source { get; init; }
    [MemoryPackOrder(1)]
    public required string ExternalId { get; init; }

    /// <summary>Increases with every accepted change; consumers drop anything not newer than what they hold.</summary>
    [MemoryPackOrder(2)]
    public required long Version { get; init; }

    [MemoryPackOrder(3)]
    public string? Name { get; init; }
    [MemoryPackOrder(4)]
    public string? Account { get; init; }
    [MemoryPackOrder(5)]
    [PooledString]
    public string? Owner { get; init; }
    [MemoryPackOrder(6)]
    public decimal? Amount { get; init; }
    [MemoryPackOrder(7)]
    [PooledString]
    public string Currency { get; init; } = "USD";

    /// <summary>One of <see cref="DealStages"/>.</summary>
    [MemoryPackOrder(8)]
    [PooledString]
    public required string Stage { get; init; }
    [MemoryPackOrder(9)]
    [PooledString]
    public string? SourceStage { get; init; }

    [MemoryPackOrder(10)]
    public required DateTimeOffset CreatedAt { get; init; }
    [MemoryPackOrder(11)]
    public DateOnly? CloseDate { get; init; }
    [MemoryPackOrder(12)]
    public DateTimeOffset? ClosedAt { get; init; }
    [MemoryPackOrder(13)]
    public bool IsClosed { get; init; }
    [MemoryPackOrder(14)]
    public bool IsWon { get; init; }

    [MemoryPackOrder(15)]
    [PooledString]
    public string? LeadSource { get; init; }
    [MemoryPackOrder(16)]
    [PooledString]
    public string? Industry { get; init; }
    [MemoryPackOrder(17)]
    [PooledString]
    public string? Region { get; init; }
    [MemoryPackOrder(18)]
    [PooledString]
    public string? Product { get; init; }
    [MemoryPackOrder(19)]
    public string? NextStep { get; init; }
    [MemoryPackOrder(20)]
    public DateTimeOffset? NextStepUpdatedAt { get; init; }

    [MemoryPackOrder(21)]
    public DateTimeOffset? LastActivityAt { get; init; }
    [MemoryPackOrder(22)]
    public int? ActivityCount { get; init; }
    /// <summary>Dates of logged activities (most recent ones), for activity counts over a window.</summary>
    [MemoryPackOrder(23)]
    public IReadOnlyList<DateTimeOffset> ActivityDates { get; init; } = [];
    [MemoryPackOrder(24)]
    public int? ContactCount { get; init; }

    [MemoryPackOrder(25)]
    public IReadOnlyList<DealChange> History { get; init; } = [];

    /// <summary>
    /// Tracked fields (<see cref="DealFields"/>) whose changes the source does not record, such as an export that holds
    /// one row per deal as it stood when exported: without a recorded change, their value is only known from then on.
    /// </summary>
    [MemoryPackOrder(26)]
    [PooledStringList]
    public IReadOnlyList<string> UntrackedFields { get; init; } = [];

    /// <summary>Fields (<see cref="DealFields"/> names) the source fills in only at close: unknown in every snapshot before the close.</summary>
    [MemoryPackOrder(27)]
    [PooledStringList]
    public IReadOnlyList<string> FinalOnlyFields { get; init; } = [];

    [MemoryPackOrder(28)]
    public bool DataQualityFlag { get; init; }
    [MemoryPackOrder(29)]
    [PooledStringList]
    public IReadOnlyList<string> MissingFields { get; init; } = [];

    /// <summary>Key fields (<see cref="DealDataQuality.KeyFields"/>) the source does not provide at all, such as columns its export lacks.</summary>
    [MemoryPackOrder(30)]
    [PooledStringList]
    public IReadOnlyList<string> UnavailableFields { get; init; } = [];

    [MemoryPackOrder(31)]
    public DateTimeOffset UpdatedAt { get; init; }
}
