namespace DealRisk.Contracts;

/// <summary>Names of the fields whose changes are kept in <see cref="DealSnapshot.History"/>.</summary>
public static class DealFields
{
    public const string Stage = "stage";
    public const string Amount = "amount";
    public const string CloseDate = "closeDate";
    public const string Owner = "owner";
    public const string NextStep = "nextStep";
    public const string ContactCount = "contactCount";
}
