namespace DealRisk.Contracts;

/// <summary>Scoring stopped serving a model (drift, degraded AUC, a corrupt model file, a failed gate) and scores with the rules.</summary>
public sealed record ScoringFellBackToRules
{
    public required Guid CorrelationId { get; init; }
    public string? ModelVersion { get; init; }
    public required string Reason { get; init; }
    /// <summary>Population Stability Index per feature where drift was the reason.</summary>
    public IReadOnlyList<FeatureDrift> Drift { get; init; } = [];
    public required DateTimeOffset FellBackAt { get; init; }
}

public sealed record FeatureDrift
{
    public required string Feature { get; init; }
    public required double Psi { get; init; }
}
