using System.Globalization;

namespace DealRisk.Contracts.Tracking;

/// <summary>
/// The CRM fields whose changes a deal's history keeps, in one place: history, change detection, HubSpot's derived
/// history, the synthetic CRM and the point-in-time timeline all walk this list. A new tracked field is an entry
/// here (and its name in <see cref="DealFields"/>) plus how each CRM adapter reads it.
/// </summary>
public static class TrackedFields
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>A deal's stage never becomes unknown on a snapshot: a history that starts from nothing leaves it as it is.</summary>
    public static TrackedField<string?> Stage { get; } = new(
        DealFields.Stage, DealChangeKinds.Stage, deal => deal.Stage, (deal, stage) => stage is null ? deal : deal with { Stage = stage },
        Same, Same, historyChangeKind: DealChangeKinds.StageHistory);

    public static TrackedField<decimal?> Amount { get; } = new(
        DealFields.Amount, DealChangeKinds.Amount, deal => deal.Amount, (deal, amount) => deal with { Amount = amount },
        amount => amount?.ToString(CultureInfo.InvariantCulture),
        text => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null);

    public static TrackedField<DateOnly?> CloseDate { get; } = new(
        DealFields.CloseDate, DealChangeKinds.CloseDate, deal => deal.CloseDate, (deal, date) => deal with { CloseDate = date },
        FormatDate, ParseDate);

    public static TrackedField<string?> Owner { get; } = new(
        DealFields.Owner, DealChangeKinds.Owner, deal => deal.Owner, (deal, owner) => deal with { Owner = owner }, Same, Same);

    /// <summary>A next step remembers when it was set; a new time alone is a change too.</summary>
    public static TrackedField<string?> NextStep { get; } = new(
        DealFields.NextStep, DealChangeKinds.NextStep, deal => deal.NextStep, (deal, step) => deal with { NextStep = step }, Same, Same,
        setAt: new FieldTimestamp(deal => deal.NextStepUpdatedAt, (deal, at) => deal with { NextStepUpdatedAt = at }));

    public static TrackedField<int?> ContactCount { get; } = new(
        DealFields.ContactCount, DealChangeKinds.Contacts, deal => deal.ContactCount, (deal, count) => deal with { ContactCount = count },
        count => count?.ToString(CultureInfo.InvariantCulture),
        text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null);

    /// <summary>Every tracked field, in the order a history lists changes made at one instant.</summary>
    public static IReadOnlyList<TrackedField> All { get; } = [Stage, Amount, CloseDate, Owner, NextStep, ContactCount];

    private static readonly Dictionary<string, TrackedField> ByName = All.ToDictionary(field => field.Name, StringComparer.Ordinal);

    /// <summary>The tracked field of that name, or null for a name no history holds.</summary>
    public static TrackedField? Find(string name) => ByName.GetValueOrDefault(name);

    public static string? FormatDate(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string? Same(string? text) => text;
}
