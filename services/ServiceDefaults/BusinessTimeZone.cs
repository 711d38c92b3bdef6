using Microsoft.Extensions.Configuration;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// The one business time zone (<c>Business:TimeZone</c>) the morning sync, the report deadline and the command line's
/// "today" count days in. <c>Ingestion:Sync:TimeZone</c> and <c>Sla:TimeZone</c>, where it used to be set, are still
/// read as deprecated aliases; settings that disagree stop start-up rather than let the sync and the deadline drift apart.
/// </summary>
public sealed record BusinessTimeZone(TimeZoneInfo Zone, IReadOnlyList<string> DeprecatedSettingsUsed)
{
    public const string Setting = "Business:TimeZone";

    public static readonly IReadOnlyList<string> DeprecatedSettings = ["Ingestion:Sync:TimeZone", "Sla:TimeZone"];

    public static BusinessTimeZone Default { get; } = new(BusinessCalendar.DefaultZone, []);

    public DateOnly DayAt(DateTimeOffset instant) => BusinessCalendar.DayAt(instant, Zone);

    public DateOnly Today(TimeProvider time) => DayAt(time.GetUtcNow());

    /// <exception cref="InvalidOperationException">The settings disagree, or name no known time zone.</exception>
    public static BusinessTimeZone From(IConfiguration configuration)
    {
        var set = new[] { Setting }.Concat(DeprecatedSettings)
            .Select(key => (Key: key, Value: configuration[key]?.Trim()))
            .Where(setting => !string.IsNullOrEmpty(setting.Value))
            .ToList();
        if (set.Select(setting => setting.Value).Distinct(StringComparer.Ordinal).Count() > 1)
            throw new InvalidOperationException(
                $"The business time zone is set differently in {string.Join(", ", set.Select(setting => $"{setting.Key}='{setting.Value}'"))}: set only {Setting} ({Setting.Replace(":", "__", StringComparison.Ordinal)}).");
        if (set.Count == 0)
            return Default;
        var (key, id) = set[0];
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id!, out var zone))
            throw new InvalidOperationException($"{key} '{id}' is not a known time zone id (an IANA id such as {BusinessCalendar.DefaultTimeZone}).");
        return new BusinessTimeZone(zone, [.. set.Select(setting => setting.Key).Where(DeprecatedSettings.Contains)]);
    }
}
