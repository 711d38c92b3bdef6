using DealRisk.ServiceDefaults;

namespace DealRisk.Notification.Sla;

/// <summary>Configuration section <c>Sla</c>: when the morning report must be out, and the spike escalation threshold.</summary>
public sealed class SlaOptions
{
    public const string SectionName = "Sla";

    public TimeOnly ReportDueAt { get; set; } = new(7, 0);
    /// <summary>Escalate when high-risk deals or ACV at risk exceed the trailing average by this fraction (0.5 = 50%).</summary>
    public double SpikeThreshold { get; set; } = 0.5;
    public int TrailingDays { get; set; } = 7;
    /// <summary>Days of history needed before a spike can be judged.</summary>
    public int MinimumHistoryDays { get; set; } = 3;

    /// <summary>Watch the deadline in this process; off where another process (or a test) owns the check.</summary>
    public bool WatchDeadline { get; set; } = true;

    /// <summary>A batch whose manifest is this old without its report has stalled: operators are alerted once.</summary>
    public TimeSpan BatchStallAfter { get; set; } = TimeSpan.FromMinutes(30);

    public ReportDeadline Deadline(BusinessTimeZone business) => new(business.Zone, ReportDueAt);
}
