namespace DealRisk.Contracts;

/// <summary>A deal's identity across the system: its CRM and the id the CRM gave it.</summary>
public static class DealKey
{
    public static string Of(string source, string externalId) => $"{source}:{externalId}";

    public static string Of(DealProfile deal) => Of(deal.Source, deal.ExternalId);
}
