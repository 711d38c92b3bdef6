namespace DealRisk.Contracts;

/// <summary>
/// The one definition of a deal's data-quality flag: more than <see cref="MaxMissingKeyFields"/> of its key fields are
/// empty. A field the source never provides (<see cref="DealSnapshot.UnavailableFields"/>) is not held against the deal.
/// </summary>
public static class DealDataQuality
{
    public const int MaxMissingKeyFields = 3;

    public const string Account = "account";
    public const string Amount = "amount";
    public const string CloseDate = "closeDate";
    public const string Owner = "owner";
    public const string Industry = "industry";
    public const string Region = "region";
    public const string LeadSource = "leadSource";
    public const string NextStep = "nextStep";
    public const string ContactCount = "contactCount";
    public const string LastActivity = "lastActivity";

    public static IReadOnlyList<string> KeyFields { get; } =
        [Account, Amount, CloseDate, Owner, Industry, Region, LeadSource, NextStep, ContactCount, LastActivity];

    public static IReadOnlyList<string> MissingKeyFields(DealSnapshot deal) => MissingKeyFields(KeyFieldValues.Of(deal), deal.UnavailableFields);

    /// <summary>The same rule on key fields as they stood at some instant, with no copy of the deal made to hold them.</summary>
    public static IReadOnlyList<string> MissingKeyFields(KeyFieldValues deal, IReadOnlyList<string> unavailable)
    {
        List<string>? missing = null;
        void Check(string field, bool empty)
        {
            if (empty && !unavailable.Contains(field)) (missing ??= []).Add(field);
        }

        Check(Amount, deal.Amount is null);
        Check(CloseDate, deal.CloseDate is null && !deal.IsClosed);
        Check(Owner, string.IsNullOrWhiteSpace(deal.Owner));
        Check(Industry, string.IsNullOrWhiteSpace(deal.Industry));
        Check(Region, string.IsNullOrWhiteSpace(deal.Region));
        Check(LeadSource, string.IsNullOrWhiteSpace(deal.LeadSource));
        Check(NextStep, string.IsNullOrWhiteSpace(deal.NextStep) && !deal.IsClosed);
        Check(ContactCount, deal.ContactCount is null);
        Check(LastActivity, !deal.HasActivity);
        Check(Account, string.IsNullOrWhiteSpace(deal.Account));
        return missing ?? [];
    }

    public static bool IsFlagged(IReadOnlyCollection<string> missingKeyFields) => missingKeyFields.Count > MaxMissingKeyFields;
}

/// <summary>A deal's key fields as <see cref="DealDataQuality"/> judges them: its record's, or as they stood at an instant.</summary>
public readonly record struct KeyFieldValues(
    string? Account, decimal? Amount, DateOnly? CloseDate, string? Owner, string? Industry, string? Region, string? LeadSource,
    string? NextStep, int? ContactCount, bool HasActivity, bool IsClosed)
{
    public static KeyFieldValues Of(DealSnapshot deal) => new(
        deal.Account, deal.Amount, deal.CloseDate, deal.Owner, deal.Industry, deal.Region, deal.LeadSource,
        deal.NextStep, deal.ContactCount, deal.LastActivityAt is not null || deal.ActivityDates.Count > 0, deal.IsClosed);
}
