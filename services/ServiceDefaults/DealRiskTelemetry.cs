using System.Diagnostics;

namespace DealRisk.ServiceDefaults;

/// <summary>The activity source every DealRisk service starts its own spans from.</summary>
public static class DealRiskTelemetry
{
    public const string SourceName = "DealRisk";

    public static ActivitySource Source { get; } = new(SourceName);
}
