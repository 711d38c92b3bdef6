namespace DealRisk.Contracts;

/// <summary>How much a feature matters to the served model (permutation importance: the drop in AUC when it is shuffled).</summary>
public sealed record FeatureImportance
{
    public required string Feature { get; init; }
    public required double Importance { get; init; }
}
