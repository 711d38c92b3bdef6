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

    /// <summary>The fields a source may declare known only at close: a snapshot before the close takes them as unknown.</summary>
    public static readonly IReadOnlyList<string> FinalOnlyCapable = [Amount, CloseDate, Owner, NextStep, ContactCount];
}
