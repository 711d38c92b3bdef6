namespace DealRisk.ServiceDefaults;

/// <summary>Business days in a time zone; which zone is configured once, as <see cref="BusinessTimeZone"/>.</summary>
public static class BusinessCalendar
{
    public const string DefaultTimeZone = "America/Los_Angeles";

    public static TimeZoneInfo DefaultZone { get; } = TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    /// <summary>The business day it is at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DayAt(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public static DateOnly Today(TimeProvider time) => DayAt(time.GetUtcNow(), DefaultZone);
}
