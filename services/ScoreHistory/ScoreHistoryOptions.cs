using System.ComponentModel.DataAnnotations;

namespace DealRisk.ScoreHistory;

/// <summary>How long each deal's scores are kept (<c>ScoreHistory__RetentionDays</c>).</summary>
public sealed class ScoreHistoryOptions
{
    public const string SectionName = "ScoreHistory";

    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 400;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
