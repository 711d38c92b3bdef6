using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>A trained model as the scoring store keeps it: the bytes and everything needed to judge and serve it.</summary>
public sealed record ModelRecord
{
    public required string ModelVersion { get; init; }
    public required string Trainer { get; init; }
    public required byte[] ModelBytes { get; init; }
    public required double CalibrationA { get; init; }
    public required double CalibrationB { get; init; }
    public required int Seed { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    /// <summary>Features present in nearly every training row: a deal without one of them is scored by the rules.</summary>
    public required IReadOnlyList<string> RequiredFeatures { get; init; }
    public required ModelMetrics Metrics { get; init; }
    public required ModelMetrics RulesMetrics { get; init; }
    public required DateOnly TrainedFrom { get; init; }
    public required DateOnly TrainedTo { get; init; }
    public required int WonDeals { get; init; }
    public required int LostDeals { get; init; }
    public required int TrainingExamples { get; init; }
    public required IReadOnlyList<FeatureImportance> FeatureImportances { get; init; }
    public required IReadOnlyList<FeatureBins> DriftReference { get; init; }
    public required DateTimeOffset TrainedAt { get; init; }
    /// <summary>Its own level cut-offs, chosen on the holdout; null only in models trained before they were kept, which are not served.</summary>
    public ModelLevelCutoffs? LevelCutoffs { get; init; }
}

/// <summary>What scoring serves now: a model version, or null for the rules, and why.</summary>
public sealed record ServedModelChoice
{
    public string? ModelVersion { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset Since { get; init; }

    /// <summary>Grows with every change; a change is written only over the revision it was decided on.</summary>
    public long Revision { get; init; }
}
