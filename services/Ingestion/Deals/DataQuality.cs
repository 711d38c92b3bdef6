using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>Flags a deal whose key fields are mostly missing, so every downstream reader can discount it.</summary>
public static class DataQuality
{
    public const int MaxMissingKeyFields = 3;

    public static DealSnapshot Assess(DealSnapshot deal)
    {
        var missing = MissingKeyFields(deal);
        return deal with { MissingFields = missing, DataQualityFlag = missing.Count > MaxMissingKeyFields };
    }

    public static IReadOnlyList<string> MissingKeyFields(DealSnapshot deal)
    {
        var missing = new List<string>();
        if (deal.Amount is null) missing.Add("amount");
        if (deal.CloseDate is null && !deal.IsClosed) missing.Add("closeDate");
        if (string.IsNullOrWhiteSpace(deal.Owner)) missing.Add("owner");
        if (string.IsNullOrWhiteSpace(deal.Industry)) missing.Add("industry");
        if (string.IsNullOrWhiteSpace(deal.Region)) missing.Add("region");
        if (string.IsNullOrWhiteSpace(deal.LeadSource)) missing.Add("leadSource");
        if (string.IsNullOrWhiteSpace(deal.NextStep) && !deal.IsClosed) missing.Add("nextStep");
        if (deal.ContactCount is null) missing.Add("contactCount");
        if (deal.LastActivityAt is null && deal.ActivityDates.Count == 0) missing.Add("lastActivity");
        return missing;
    }
}
