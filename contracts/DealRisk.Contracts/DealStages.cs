namespace DealRisk.Contracts;

/// <summary>The canonical ordered pipeline every source's stages are mapped onto.</summary>
public static class DealStages
{
    public const string Lead = "Lead";
    public const string Qualified = "Qualified";
    public const string Demo = "Demo";
    public const string Proposal = "Proposal";
    public const string Negotiation = "Negotiation";
    public const string ClosedWon = "ClosedWon";
    public const string ClosedLost = "ClosedLost";

    public static IReadOnlyList<string> OpenStages { get; } = [Lead, Qualified, Demo, Proposal, Negotiation];
    public static IReadOnlyList<string> All { get; } = [Lead, Qualified, Demo, Proposal, Negotiation, ClosedWon, ClosedLost];

    /// <summary>Position in the pipeline (closed stages rank after every open one), or -1 when unknown.</summary>
    public static int Order(string? stage) => stage switch
    {
        Lead => 0,
        Qualified => 1,
        Demo => 2,
        Proposal => 3,
        Negotiation => 4,
        ClosedWon or ClosedLost => 5,
        _ => -1,
    };

    public static bool IsClosed(string? stage) => stage is ClosedWon or ClosedLost;

    public static bool IsKnown(string? stage) => Order(stage) >= 0;
}
