namespace DealRisk.Contracts;

/// <summary>What a reader of an alert or report needs to know about a deal, carried beside its features and score.</summary>
public sealed record DealProfile
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required long Version { get; init; }
    public string? Name { get; init; }
    public string? Account { get; init; }
    public string? Owner { get; init; }
    public decimal? Amount { get; init; }
    public string Currency { get; init; } = "USD";
    public required string Stage { get; init; }
    public int? DaysInStage { get; init; }
    public string? Industry { get; init; }
    public string? Region { get; init; }
    public string? LeadSource { get; init; }
    public string? Product { get; init; }
    public bool DataQualityFlag { get; init; }
    public IReadOnlyList<string> MissingFields { get; init; } = [];
}
