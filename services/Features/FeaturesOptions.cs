using System.ComponentModel.DataAnnotations;

namespace DealRisk.Features;

/// <summary>Configuration section <c>Features</c>.</summary>
public sealed class FeaturesOptions
{
    public const string SectionName = "Features";

    /// <summary>How long a batch chunk waits for referenced deals to arrive on their own before asking ingestion to resync them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ResyncAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a batch chunk waits for deals it references to arrive (after asking ingestion to resync them) before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SyncWait { get; set; } = TimeSpan.FromSeconds(60);
}
