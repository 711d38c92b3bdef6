using System.Globalization;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>
/// The deal properties ingestion understands and how each value is checked. Values are kept in a normalized
/// text form (invariant numbers, yyyy-MM-dd dates, ISO instants) so equal values compare equal.
/// </summary>
public static class HubSpotDealProperties
{
    public const string DealName = "dealname";
    public const string Stage = "dealstage";
    public const string Amount = "amount";
    public const string CloseDate = "closedate";
    public const string Owner = "hubspot_owner_id";
    public const string NextStep = "hs_next_step";
    public const string ContactCount = "num_associated_contacts";
    public const string LastContacted = "notes_last_contacted";
    public const string LastSalesActivity = "hs_last_sales_activity_timestamp";
    public const string IsClosedWon = "hs_is_closed_won";

    /// <summary>Properties whose every change is kept, because the deal's history is derived from them.</summary>
    public static readonly IReadOnlySet<string> WithHistory = new HashSet<string> { Stage, Amount, CloseDate, Owner, NextStep, ContactCount };

    private static readonly Dictionary<string, Func<string, string>> Normalizers = new()
    {
        [DealName] = text => text,
        [Stage] = text => text,
        [Owner] = text => text,
        [NextStep] = text => text,
        [Amount] = NormalizeAmount,
        [CloseDate] = NormalizeDate,
        [ContactCount] = NormalizeCount,
        [LastContacted] = NormalizeInstant,
        [LastSalesActivity] = NormalizeInstant,
        [IsClosedWon] = NormalizeBoolean,
    };

    public static bool IsKnown(string property) => Normalizers.ContainsKey(property);

    /// <summary>The normalized value, null for a cleared property; throws <see cref="HubSpotEventException"/> for a value of the wrong type.</summary>
    public static string? Normalize(string property, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Normalizers[property](value.Trim());

    public static DateOnly ParseDate(string normalized) => DateOnly.ParseExact(normalized, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string normalized) => DateTimeOffset.Parse(normalized, CultureInfo.InvariantCulture);

    private static string NormalizeAmount(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) && amount >= 0
            ? amount.ToString(CultureInfo.InvariantCulture)
            : throw new HubSpotEventException($"'{Amount}' must be a non-negative number, not \"{text}\".");

    private static string NormalizeCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count.ToString(CultureInfo.InvariantCulture)
            : throw new HubSpotEventException($"'{ContactCount}' must be a whole number, not \"{text}\".");

    private static string NormalizeBoolean(string text) =>
        bool.TryParse(text, out var flag)
            ? (flag ? "true" : "false")
            : throw new HubSpotEventException($"'{IsClosedWon}' must be true or false, not \"{text}\".");

    /// <summary>HubSpot sends dates as epoch milliseconds at midnight UTC; an ISO date is accepted too.</summary>
    private static string NormalizeDate(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs))
            return DateOnly.FromDateTime(FromEpoch(text, epochMs).UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        throw new HubSpotEventException($"'{CloseDate}' must be epoch milliseconds or yyyy-MM-dd, not \"{text}\".");
    }

    private static string NormalizeInstant(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs))
            return FromEpoch(text, epochMs).ToString("O", CultureInfo.InvariantCulture);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        throw new HubSpotEventException($"An activity timestamp must be epoch milliseconds or an ISO date-time, not \"{text}\".");
    }

    private static DateTimeOffset FromEpoch(string text, long epochMs) =>
        epochMs <= 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(epochMs)
            : throw new HubSpotEventException($"\"{text}\" is not a plausible epoch-milliseconds time.");
}
