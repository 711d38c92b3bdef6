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

    public static IReadOnlyList<string> MissingKeyFields(DealSnapshot deal)
    {
        var unavailable = deal.UnavailableFields;
        var missing = new List<string>();
        void Check(string field, bool empty)
        {
            if (empty && !unavailable.Contains(field)) missing.Add(field);
        }

        Check(Amount, deal.Amount is null);
        Check(CloseDate, deal.CloseDate is null && !deal.IsClosed);
        Check(Owner, string.IsNullOrWhiteSpace(deal.Owner));
        Check(Industry, string.IsNullOrWhiteSpace(deal.Industry));
        Check(Region, string.IsNullOrWhiteSpace(deal.Region));
        Check(LeadSource, string.IsNullOrWhiteSpace(deal.LeadSource));
        Check(NextStep, string.IsNullOrWhiteSpace(deal.NextStep) && !deal.IsClosed);
        Check(ContactCount, deal.ContactCount is null);
        Check(LastActivity, deal.LastActivityAt is null && deal.ActivityDates.Count == 0);
        Check(Account, string.IsNullOrWhiteSpace(deal.Account));
        return missing;
    }

    public static bool IsFlagged(IReadOnlyCollection<string> missingKeyFields) => missingKeyFields.Count > MaxMissingKeyFields;
}
