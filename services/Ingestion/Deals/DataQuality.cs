using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>Flags a deal whose key fields are mostly missing, so every downstream reader can discount it.</summary>
public static class DataQuality
{
    public const int MaxMissingKeyFields = DealDataQuality.MaxMissingKeyFields;

    public static DealSnapshot Assess(DealSnapshot deal)
    {
        var missing = MissingKeyFields(deal);
        return deal with { MissingFields = missing, DataQualityFlag = DealDataQuality.IsFlagged(missing) };
    }

    public static IReadOnlyList<string> MissingKeyFields(DealSnapshot deal) => DealDataQuality.MissingKeyFields(deal);
}
