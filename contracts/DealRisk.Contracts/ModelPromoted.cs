namespace DealRisk.Contracts;

/// <summary>A trained model passed the gate and is now what scoring serves.</summary>
public sealed record ModelPromoted
{
    public required Guid CorrelationId { get; init; }
    public required string ModelVersion { get; init; }
    /// <summary>FastForest or FastTree.</summary>
    public required string Trainer { get; init; }
    public required ModelMetrics Metrics { get; init; }
    public required ModelMetrics RulesMetrics { get; init; }
    public required DateOnly TrainedFrom { get; init; }
    public required DateOnly TrainedTo { get; init; }
    public required int TrainingDeals { get; init; }
    public required IReadOnlyList<FeatureImportance> FeatureImportances { get; init; }
    public required DateTimeOffset PromotedAt { get; init; }
}
