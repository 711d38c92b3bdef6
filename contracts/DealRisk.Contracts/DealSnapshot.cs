namespace DealRisk.Contracts;

/// <summary>
/// The canonical deal as ingestion holds it, with its history: the state that travels with
/// every deal event so no consumer has to call back into ingestion.
/// </summary>
public sealed record DealSnapshot
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }

    /// <summary>Increases with every accepted change; consumers drop anything not newer than what they hold.</summary>
    public required long Version { get; init; }

    public string? Name { get; init; }
    public string? Account { get; init; }
    public string? Owner { get; init; }
    public decimal? Amount { get; init; }
    public string Currency { get; init; } = "USD";

    /// <summary>One of <see cref="DealStages"/>.</summary>
    public required string Stage { get; init; }
    public string? SourceStage { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateOnly? CloseDate { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public bool IsClosed { get; init; }
    public bool IsWon { get; init; }

    public string? LeadSource { get; init; }
    public string? Industry { get; init; }
    public string? Region { get; init; }
    public string? Product { get; init; }
    public string? NextStep { get; init; }
    public DateTimeOffset? NextStepUpdatedAt { get; init; }

    public DateTimeOffset? LastActivityAt { get; init; }
    public int? ActivityCount { get; init; }
    /// <summary>Dates of logged activities (most recent ones), for activity counts over a window.</summary>
    public IReadOnlyList<DateTimeOffset> ActivityDates { get; init; } = [];
    public int? ContactCount { get; init; }

    public IReadOnlyList<DealChange> History { get; init; } = [];

    /// <summary>
    /// Tracked fields (<see cref="DealFields"/>) whose changes the source does not record, such as an export that holds
    /// one row per deal as it stood when exported: without a recorded change, their value is only known from then on.
    /// </summary>
    public IReadOnlyList<string> UntrackedFields { get; init; } = [];

    /// <summary>Fields (<see cref="DealFields"/> names) the source fills in only at close: unknown in every snapshot before the close.</summary>
    public IReadOnlyList<string> FinalOnlyFields { get; init; } = [];

    public bool DataQualityFlag { get; init; }
    public IReadOnlyList<string> MissingFields { get; init; } = [];

    /// <summary>Key fields (<see cref="DealDataQuality.KeyFields"/>) the source does not provide at all, such as columns its export lacks.</summary>
    public IReadOnlyList<string> UnavailableFields { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }
}
