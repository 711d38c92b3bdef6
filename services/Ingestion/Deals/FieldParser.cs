using System.Globalization;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Reads CRM field values the same way for every import format and webhook: text within its length limit, amounts
/// with currency symbols or codes and grouping, whole counts, true/false flags, dates and instants in the common export
/// formats, ISO 8601 or epoch milliseconds. A value that does not read throws <see cref="FieldValueException"/> naming
/// the field as the source calls it. Blank values read as null.
/// </summary>
public sealed class FieldParser
{
    private static readonly string[] CommonDateFormats =
    [
        "yyyy-MM-dd", "yyyy/MM/dd", "M/d/yyyy", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss",
        "M/d/yyyy H:mm", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss",
    ];

    private static readonly char[] CurrencySymbols = ['$', '€', '£', '¥'];

    /// <summary>Epoch milliseconds are 13 digits from 2001 to 2286: no date written as digits (yyyyMMdd) is mistaken for one.</summary>
    private const int EpochMillisecondsDigits = 13;

    private readonly NumberFormatInfo _numbers;
    private readonly string[] _dateFormats;
    private readonly string _dateDescription;

    /// <param name="decimalSeparator">"." or ","; the other one groups thousands.</param>
    /// <param name="dateFormats">Formats tried before the common ones, such as a mapping file's.</param>
    public FieldParser(string decimalSeparator = ".", IReadOnlyList<string>? dateFormats = null)
    {
        _numbers = new NumberFormatInfo { NumberDecimalSeparator = decimalSeparator, NumberGroupSeparator = decimalSeparator == "," ? "." : "," };
        _dateFormats = [.. dateFormats ?? [], .. CommonDateFormats];
        _dateDescription = $"a date ({string.Join(", ", [.. dateFormats ?? [], "yyyy-MM-dd", "M/d/yyyy"])}, ISO 8601 or epoch milliseconds)";
    }

    public static FieldParser Invariant { get; } = new();

    public string? Id(string field, string? raw) => Limited(field, raw, FieldKind.Id);

    public string? Name(string field, string? raw) => Limited(field, raw, FieldKind.Name);

    public string? Text(string field, string? raw) => Limited(field, raw, FieldKind.Text);

    public decimal? Amount(string field, string? raw)
    {
        if (Blank(raw) is not { } text) return null;
        var number = WithoutCurrency(text);
        if (!decimal.TryParse(number, NumberStyles.Number | NumberStyles.AllowExponent, _numbers, out var amount))
            throw Invalid(field, "a non-negative number", text);
        if (amount < 0)
            throw Invalid(field, "a non-negative number", text);
        return amount;
    }

    public int? Count(string field, string? raw)
    {
        if (Blank(raw) is not { } text) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0
            ? count
            : throw Invalid(field, "a whole number of at least 0", text);
    }

    public bool? Flag(string field, string? raw)
    {
        if (Blank(raw) is not { } text) return null;
        return text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw Invalid(field, "true or false (or yes/no, 1/0)", text),
        };
    }

    /// <summary>A calendar day: a date as written, or the UTC day of an instant.</summary>
    public DateOnly? Date(string field, string? raw)
    {
        if (Blank(raw) is not { } text) return null;
        if (DateOnly.TryParseExact(text, _dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        return ReadInstant(text) is { } instant ? DateOnly.FromDateTime(instant.UtcDateTime) : throw Invalid(field, _dateDescription, text);
    }

    /// <summary>A moment in UTC; a date-time without an offset is taken as UTC.</summary>
    public DateTimeOffset? Instant(string field, string? raw)
    {
        if (Blank(raw) is not { } text) return null;
        return ReadInstant(text) ?? throw Invalid(field, _dateDescription, text);
    }

    private DateTimeOffset? ReadInstant(string text)
    {
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTime.TryParseExact(text, _dateFormats, CultureInfo.InvariantCulture, utc, out var exact))
            return new DateTimeOffset(exact, TimeSpan.Zero);
        if (text.Length == EpochMillisecondsDigits && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs))
            return DateTimeOffset.FromUnixTimeMilliseconds(epochMs);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out var iso))
            return iso;
        return null;
    }

    private static string? Limited(string field, string? raw, FieldKind kind)
    {
        if (Blank(raw) is not { } text) return null;
        return FieldLimits.Over(field, text, kind) is { } violation ? throw new FieldValueException(field, violation.Reason) : text;
    }

    /// <summary>"$1,200", "1 200 €", "USD 1,200" and "1200 EUR" all read as 1200.</summary>
    private static string WithoutCurrency(string text)
    {
        var trimmed = text.Trim(CurrencySymbols).Trim();
        if (trimmed.Length > 4 && trimmed[..3].All(char.IsAsciiLetterUpper) && trimmed[3] == ' ')
            trimmed = trimmed[4..];
        else if (trimmed.Length > 4 && trimmed[^4] == ' ' && trimmed[^3..].All(char.IsAsciiLetterUpper))
            trimmed = trimmed[..^4];
        return new string(trimmed.Where(c => !char.IsWhiteSpace(c) && Array.IndexOf(CurrencySymbols, c) < 0).ToArray());
    }

    private static string? Blank(string? raw) => string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();

    private static FieldValueException Invalid(string field, string expected, string text) =>
        new(field, $"'{field}' must be {expected}, not \"{FieldLimits.Shown(text)}\".");
}

/// <summary>A bad field value, named as the source calls the field so a RevOps user can find it in the CRM.</summary>
public sealed class FieldValueException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
