namespace DealRisk.Contracts;

/// <summary>Names of the fields whose changes are kept in <see cref="DealSnapshot.History"/>; each is described once in <see cref="Tracking.TrackedFields"/>.</summary>
public static class DealFields
{
    public const string Stage = "stage";
    public const string Amount = "amount";
    public const string CloseDate = "closeDate";
    public const string Owner = "owner";
    public const string NextStep = "nextStep";
    public const string ContactCount = "contactCount";

    /// <summary>What a one-row-per-deal export leaves unrecorded: every tracked field but the stage, whose history the import builds.</summary>
    public static IReadOnlyList<string> UntrackedByExports { get; } = [Amount, CloseDate, Owner, NextStep, ContactCount];

    /// <summary>The fields a source may declare known only at close: a snapshot before the close takes them as unknown.</summary>
    public static readonly IReadOnlyList<string> FinalOnlyCapable = [Amount, CloseDate, Owner, NextStep, ContactCount];
}
