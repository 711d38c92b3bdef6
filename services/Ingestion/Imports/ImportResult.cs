namespace DealRisk.Ingestion.Imports;

/// <summary>What an import did: counts, every refused row (the first <see cref="MaxListedErrors"/> listed), and the batch it started.</summary>
public sealed record ImportResult
{
    public const int MaxListedErrors = 1000;

    public required Guid Id { get; init; }
    public required string Format { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string Status { get; init; } = "completed";
    public string? Error { get; init; }
    public long Rows { get; init; }
    public long Created { get; init; }
    public long Updated { get; init; }
    public long Unchanged { get; init; }
    public long Rejected { get; init; }
    /// <summary>Imported deals flagged for data quality (more than 3 of the key fields their source provides are empty).</summary>
    public long Flagged { get; init; }
    public IReadOnlyList<RowError> Errors { get; init; } = [];
    public Guid? BatchId { get; init; }
}
