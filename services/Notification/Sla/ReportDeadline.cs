using DealRisk.ServiceDefaults;

namespace DealRisk.Notification.Sla;

/// <summary>The morning report is due at a local time in the business's time zone (07:00 America/Los_Angeles), DST included.</summary>
public sealed class ReportDeadline(TimeZoneInfo zone, TimeOnly dueAt)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>The business day it is at <paramref name="utc"/>.</summary>
    public DateOnly DayAt(DateTimeOffset utc) => BusinessCalendar.DayAt(utc, zone);

    /// <summary>When the report for <paramref name="day"/> is due, as a UTC instant.</summary>
    public DateTimeOffset DueFor(DateOnly day)
    {
        var local = day.ToDateTime(dueAt);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The first deadline strictly after <paramref name="utc"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset utc)
    {
        var day = DayAt(utc);
        var due = DueFor(day);
        return due > utc ? due : DueFor(day.AddDays(1));
    }
}
