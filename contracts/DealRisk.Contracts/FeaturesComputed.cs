namespace DealRisk.Contracts;

/// <summary>Point-in-time features for one deal (real-time path) or a chunk of deals (daily batch).</summary>
public sealed record FeaturesComputed
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>Set for the daily batch; null for a single-deal rescore.</summary>
    public BatchChunk? Batch { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required IReadOnlyList<DealFeatureVector> Deals { get; init; }
    /// <summary>The CRM change behind a single-deal rescore; null for the batch.</summary>
    public ScoreTrigger? Trigger { get; init; }
}
