namespace DealRisk.ServiceDefaults;

/// <summary>The business's time zone and its days: the morning sync, the report deadline and the command line's "today" count days in it.</summary>
public static class BusinessCalendar
{
    public const string DefaultTimeZone = "America/Los_Angeles";

    public static TimeZoneInfo DefaultZone { get; } = TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    /// <summary>The business day it is at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DayAt(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public static DateOnly Today(TimeProvider time) => DayAt(time.GetUtcNow(), DefaultZone);
}
