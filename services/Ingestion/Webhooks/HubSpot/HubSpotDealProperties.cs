using System.Globalization;
using DealRisk.Contracts.Tracking;
using DealRisk.Ingestion.Deals;

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

    /// <summary>The property that carries each tracked field; its normalized value is the field's history text.</summary>
    public static readonly IReadOnlyList<(string Property, TrackedField Field)> Tracked =
    [
        (Stage, TrackedFields.Stage), (Amount, TrackedFields.Amount), (CloseDate, TrackedFields.CloseDate),
        (Owner, TrackedFields.Owner), (NextStep, TrackedFields.NextStep), (ContactCount, TrackedFields.ContactCount),
    ];

    /// <summary>Properties whose every change is kept, because the deal's history is derived from them.</summary>
    public static readonly IReadOnlySet<string> WithHistory = Tracked.Select(tracked => tracked.Property).ToHashSet();

    private static readonly FieldParser Parser = FieldParser.Invariant;

    private static readonly Dictionary<string, Func<string, string, string?>> Normalizers = new()
    {
        [DealName] = Parser.Name,
        [Stage] = Parser.Id,
        [Owner] = Parser.Id,
        [NextStep] = Parser.Text,
        [Amount] = (property, text) => TrackedFields.Amount.Format(Parser.Amount(property, text)),
        [CloseDate] = (property, text) => TrackedFields.FormatDate(Parser.Date(property, text)),
        [ContactCount] = (property, text) => TrackedFields.ContactCount.Format(Parser.Count(property, text)),
        [LastContacted] = Instant,
        [LastSalesActivity] = Instant,
        [IsClosedWon] = (property, text) => Parser.Flag(property, text) is { } flag ? (flag ? "true" : "false") : null,
    };

    public static bool IsKnown(string property) => Normalizers.ContainsKey(property);

    /// <summary>The normalized value, null for a cleared property; throws <see cref="HubSpotEventException"/> for a value of the wrong type or length.</summary>
    public static string? Normalize(string property, string? value)
    {
        try
        {
            return string.IsNullOrWhiteSpace(value) ? null : Normalizers[property](property, value.Trim());
        }
        catch (FieldValueException invalid)
        {
            throw new HubSpotEventException(invalid.Message);
        }
    }

    /// <summary>A value over the limit of its property's kind (a property DealRisk does not use counts as free text).</summary>
    public static FieldLimitViolation? LengthProblem(string property, string? value) =>
        FieldLimits.Over(property, value, property switch
        {
            Stage or Owner or Amount or CloseDate or ContactCount or LastContacted or LastSalesActivity or IsClosedWon => FieldKind.Id,
            DealName => FieldKind.Name,
            _ => FieldKind.Text,
        });

    public static DateTimeOffset ParseInstant(string normalized) => DateTimeOffset.Parse(normalized, CultureInfo.InvariantCulture);

    private static string? Instant(string property, string text) => Parser.Instant(property, text)?.ToString("O", CultureInfo.InvariantCulture);
}
