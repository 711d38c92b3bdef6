using DealRisk.Contracts;
using DealRisk.Notification.Alerts;
using DealRisk.Notification.Movers;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Dashboard;

/// <summary>Everything the CRO dashboard shows, as its data endpoint returns it.</summary>
public sealed record DashboardView
{
    public DateOnly? AsOf { get; init; }
    public DateTimeOffset? ReportPublishedAt { get; init; }
    public DateTimeOffset? DataAsOf { get; init; }
    public decimal AcvAtRisk { get; init; }
    public decimal? AcvAtRiskChange { get; init; }
    public int HighRiskDeals { get; init; }
    public int CriticalDeals { get; init; }
    public int OpenDeals { get; init; }
    public required IReadOnlyList<DailyRiskPoint> Trend { get; init; }
    public required IReadOnlyList<DealRiskScore> Deals { get; init; }
    public ModelStatus? Model { get; init; }
    /// <summary>Which scorer scored the latest report's batch and why.</summary>
    public string? ScoredBy { get; init; }
    public Spike? Escalation { get; init; }
    /// <summary>Open deals whose score moved most against their previous one.</summary>
    public MoverSummary Movers { get; init; } = MoverSummary.None;
}
