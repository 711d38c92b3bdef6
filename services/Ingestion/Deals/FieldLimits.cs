using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>What a field holds, which sets its length limit.</summary>
public enum FieldKind
{
    /// <summary>Record ids, stage names, currency codes: at most <see cref="FieldLimits.MaxIdLength"/>.</summary>
    Id,
    /// <summary>Deal, account, owner and segment names: at most <see cref="FieldLimits.MaxNameLength"/>.</summary>
    Name,
    /// <summary>Free text such as the next step: at most <see cref="FieldLimits.MaxTextLength"/>.</summary>
    Text,
}

/// <summary>A value over its field's limit: which field, and why, without the value itself.</summary>
public sealed record FieldLimitViolation(string Field, string Reason);

/// <summary>
/// How large one CRM value and one record may be, for every door into the system (imports and webhooks): far above
/// anything a CRM holds, far below what would let one row fill memory, a report or a Slack message. Values quoted
/// back in errors and logs are cut to <see cref="MaxShownLength"/>.
/// </summary>
public static class FieldLimits
{
    public const int MaxIdLength = 255;
    public const int MaxNameLength = 1_000;
    public const int MaxTextLength = 2_000;
    public const int MaxHistoryChanges = 10_000;
    /// <summary>One CSV record or JSON line, in bytes (or characters) of input.</summary>
    public const int MaxRecordLength = 1024 * 1024;
    public const int MaxShownLength = 80;

    public static FieldLimitViolation? Check(DealSnapshot deal) =>
        Id("source", deal.Source) ?? Id("externalId", deal.ExternalId) ?? Id("stage", deal.Stage) ?? Id("sourceStage", deal.SourceStage)
        ?? Id("currency", deal.Currency) ?? Name("name", deal.Name) ?? Name("account", deal.Account) ?? Name("owner", deal.Owner)
        ?? Name("leadSource", deal.LeadSource) ?? Name("industry", deal.Industry) ?? Name("region", deal.Region)
        ?? Name("product", deal.Product) ?? Text("nextStep", deal.NextStep)
        ?? (deal.History.Count > MaxHistoryChanges ? new FieldLimitViolation("history", $"'history' holds {deal.History.Count:N0} changes; at most {MaxHistoryChanges:N0}.") : null)
        ?? deal.History.Select(change => Text("history.from", change.From) ?? Text("history.to", change.To) ?? Id("history.field", change.Field)).FirstOrDefault(violation => violation is not null);

    public static FieldLimitViolation? Id(string field, string? value) => Over(field, value, FieldKind.Id);

    public static FieldLimitViolation? Name(string field, string? value) => Over(field, value, FieldKind.Name);

    public static FieldLimitViolation? Text(string field, string? value) => Over(field, value, FieldKind.Text);

    public static FieldLimitViolation? Over(string field, string? value, FieldKind kind) => Over(field, value, kind switch
    {
        FieldKind.Id => MaxIdLength,
        FieldKind.Name => MaxNameLength,
        _ => MaxTextLength,
    });

    /// <summary>The value as it may appear in an error or a log line: at most <see cref="MaxShownLength"/> characters, line breaks removed.</summary>
    public static string Shown(string? value)
    {
        if (value is null)
            return "";
        var shown = value.Length <= MaxShownLength ? value : $"{value[..MaxShownLength]}… ({value.Length:N0} characters)";
        return shown.ReplaceLineEndings(" ");
    }

    private static FieldLimitViolation? Over(string field, string? value, int limit) =>
        value is { Length: var length } && length > limit
            ? new FieldLimitViolation(field, $"'{field}' is {length:N0} characters long; at most {limit:N0} are accepted.")
            : null;
}
