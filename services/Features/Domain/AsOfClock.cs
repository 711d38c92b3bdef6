namespace DealRisk.Features.Domain;

/// <summary>A batch as of a date sees everything that happened on or before that date: the instant is the date's last tick (UTC).</summary>
public static class AsOfClock
{
    public static DateTimeOffset EndOf(DateOnly date) =>
        new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
}
