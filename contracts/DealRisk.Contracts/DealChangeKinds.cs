namespace DealRisk.Contracts;

/// <summary>The kinds of change a <see cref="DealChanged"/> names: every one of them can move a feature.</summary>
public static class DealChangeKinds
{
    public const string Created = "created";
    public const string Stage = "stage";
    /// <summary>The stage history changed although the stage did not (a round trip, a late or backfilled move).</summary>
    public const string StageHistory = "stageHistory";
    public const string Amount = "amount";
    public const string CloseDate = "closeDate";
    public const string Owner = "owner";
    public const string NextStep = "nextStep";
    public const string Activity = "activity";
    public const string Contacts = "contacts";
    public const string Outcome = "outcome";
    /// <summary>Creation date, lead source, industry, region or product: what win rates and deal age are read from.</summary>
    public const string Attributes = "attributes";
    public const string DataQuality = "dataQuality";
}
