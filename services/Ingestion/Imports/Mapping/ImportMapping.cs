using DealRisk.Contracts;

namespace DealRisk.Ingestion.Imports.Mapping;

/// <summary>
/// A mapping file (YAML or JSON) that teaches ingestion any CRM's CSV export: which column holds which canonical field,
/// how dates and numbers are written, which stage names mean which canonical stage, and how won and lost are written.
/// </summary>
public sealed class ImportMapping
{
    /// <summary>The format's name in import results; defaults to the file name.</summary>
    public string? Name { get; set; }

    /// <summary>The CRM the deals come from (their <c>Source</c>): deals of the same source and id are the same deal.</summary>
    public string Source { get; set; } = "";

    /// <summary>Canonical field → column header, or headers tried in order (see <see cref="MappedFields"/>).</summary>
    public Dictionary<string, ColumnSources> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Mapped columns a file may lack; every other mapped column must be in the header.</summary>
    public List<string> Optional { get; set; } = [];

    /// <summary>.NET date formats tried in order (e.g. <c>dd.MM.yyyy</c>); ISO 8601 is always understood.</summary>
    public List<string> DateFormats { get; set; } = [];

    /// <summary>How amounts write their decimals: <c>.</c> (1,234.50, the default) or <c>,</c> (1.234,50); the other one groups thousands.</summary>
    public string DecimalSeparator { get; set; } = ".";

    /// <summary>The CRM's stage names → canonical stages (Lead, Qualified, Demo, Proposal, Negotiation, ClosedWon, ClosedLost); case-insensitive.</summary>
    public Dictionary<string, string> Stages { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How won and lost are written in the <c>outcome</c> column, when the stage alone does not say.</summary>
    public OutcomeValues Outcome { get; set; } = new();

    public string DefaultCurrency { get; set; } = "USD";

    /// <summary>
    /// Fields the CRM fills in only at close (e.g. <c>[amount]</c> when the column is a closing value, 0 on lost deals): they never
    /// become features of a snapshot before the close. One of amount, closeDate, owner, nextStep, contactCount.
    /// </summary>
    public List<string> FinalOnly { get; set; } = [];
}

public sealed class OutcomeValues
{
    public List<string> Won { get; set; } = ["won", "closed won", "true", "yes", "1"];
    public List<string> Lost { get; set; } = ["lost", "closed lost", "false", "no", "0"];
    /// <summary>Values that mean the deal is still open (an empty cell always does).</summary>
    public List<string> Open { get; set; } = ["open", "pending", "in progress"];
}

/// <summary>The canonical fields a mapping can fill.</summary>
public static class MappedFields
{
    public const string ExternalId = "externalId";
    public const string Name = "name";
    public const string Account = "account";
    public const string Owner = "owner";
    public const string Amount = "amount";
    public const string Currency = "currency";
    public const string Stage = "stage";
    public const string CreatedAt = "createdAt";
    public const string CloseDate = "closeDate";
    public const string ClosedAt = "closedAt";
    public const string Outcome = "outcome";
    public const string IsClosed = "isClosed";
    public const string IsWon = "isWon";
    public const string LeadSource = "leadSource";
    public const string Industry = "industry";
    public const string Region = "region";
    public const string Product = "product";
    public const string NextStep = "nextStep";
    public const string LastActivityAt = "lastActivityAt";
    public const string ActivityCount = "activityCount";
    public const string ContactCount = "contactCount";

    public static readonly IReadOnlyList<string> All =
    [
        ExternalId, Name, Account, Owner, Amount, Currency, Stage, CreatedAt, CloseDate, ClosedAt, Outcome, IsClosed, IsWon,
        LeadSource, Industry, Region, Product, NextStep, LastActivityAt, ActivityCount, ContactCount,
    ];

    public static readonly IReadOnlyList<string> Required = [ExternalId, Stage, CreatedAt];

    /// <summary>The mapped fields that provide each data-quality key field (<see cref="DealDataQuality.KeyFields"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string> KeyFields = new Dictionary<string, string>
    {
        [DealDataQuality.Account] = Account,
        [DealDataQuality.Amount] = Amount,
        [DealDataQuality.CloseDate] = CloseDate,
        [DealDataQuality.Owner] = Owner,
        [DealDataQuality.Industry] = Industry,
        [DealDataQuality.Region] = Region,
        [DealDataQuality.LeadSource] = LeadSource,
        [DealDataQuality.NextStep] = NextStep,
        [DealDataQuality.ContactCount] = ContactCount,
        [DealDataQuality.LastActivity] = LastActivityAt,
    };
}
