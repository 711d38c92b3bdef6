namespace DealRisk.Contracts;

/// <summary>
/// Point-in-time features for one deal (real-time path). The daily batch travels as <see cref="FeatureChunkComputed"/>;
/// scoring reads such a chunk into this shape in memory only.
/// </summary>
public sealed record FeaturesComputed
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>Null on the wire; set when scoring holds a batch chunk in this shape.</summary>
    public BatchChunk? Batch { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required IReadOnlyList<DealFeatureVector> Deals { get; init; }
    /// <summary>The CRM change behind a single-deal rescore; null for the batch.</summary>
    public ScoreTrigger? Trigger { get; init; }
}
