namespace DealRisk.Contracts;

/// <summary>Asks ingestion to start the daily batch: every deal open on <see cref="AsOf"/> is featurized, scored and reported.</summary>
public sealed record RunDailyBatch
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    /// <summary>Who asked: schedule, import, cli, api.</summary>
    public required string Trigger { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
