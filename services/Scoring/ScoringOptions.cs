namespace DealRisk.Scoring;

/// <summary>Configuration section <c>Scoring</c>.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>A JSON rule file replacing the shipped default rules (thresholds per stage or segment live there).</summary>
    public string? RulesFile { get; set; }
}
