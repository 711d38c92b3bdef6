namespace DealRisk.Contracts;

/// <summary>The notification service wrote the day's report for a batch run.</summary>
public sealed record DailyReportPublished
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string ReportDirectory { get; init; }
    public required int OpenDeals { get; init; }
    public required int HighRiskDeals { get; init; }
    public required decimal AcvAtRisk { get; init; }
    public required int CriticalDeals { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    /// <summary>Which scorer scored the batch and why (see <see cref="DealScored.ScoredBy"/>).</summary>
    public string? ScoredBy { get; init; }
}
