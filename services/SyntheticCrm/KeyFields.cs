namespace DealRisk.SyntheticCrm;

/// <summary>The fields downstream data-quality checks look at; a deal may be generated with some of them missing.</summary>
[Flags]
internal enum KeyFields
{
    None = 0,
    Amount = 1 << 0,
    CloseDate = 1 << 1,
    Owner = 1 << 2,
    Industry = 1 << 3,
    Region = 1 << 4,
    LeadSource = 1 << 5,
    NextStep = 1 << 6,
    ContactCount = 1 << 7,
    LastActivityAt = 1 << 8,
}

internal static class MissingKeyFields
{
    private static readonly KeyFields[] All =
    [
        KeyFields.Amount, KeyFields.CloseDate, KeyFields.Owner, KeyFields.Industry, KeyFields.Region,
        KeyFields.LeadSource, KeyFields.NextStep, KeyFields.ContactCount, KeyFields.LastActivityAt,
    ];

    private static readonly KeyFields[] OftenBlank = [KeyFields.Industry, KeyFields.Region, KeyFields.LeadSource, KeyFields.ContactCount];

    public const double PoorRecordShare = 0.03;

    /// <summary>About 3% of deals are poorly kept records missing 4–6 key fields; a few more miss one.</summary>
    public static KeyFields Draw(DealRandom random)
    {
        if (random.Chance(PoorRecordShare))
        {
            var missing = KeyFields.None;
            var target = random.Between(4, 6);
            var count = 0;
            while (count < target)
            {
                var field = random.Pick(All);
                if ((missing & field) != 0)
                    continue;
                missing |= field;
                count++;
            }
            return missing;
        }
        return random.Chance(0.06) ? random.Pick(OftenBlank) : KeyFields.None;
    }
}
