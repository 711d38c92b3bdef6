using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm;

/// <summary>The synthetic CRM's own stage labels and the canonical stage each one maps onto.</summary>
public static class SyntheticStages
{
    public static IReadOnlyDictionary<string, string> SourceToCanonical { get; } = new Dictionary<string, string>
    {
        ["New Lead"] = DealStages.Lead,
        ["Discovery Call"] = DealStages.Qualified,
        ["Demo Scheduled"] = DealStages.Demo,
        ["Proposal Sent"] = DealStages.Proposal,
        ["Contract Negotiation"] = DealStages.Negotiation,
        ["Closed Won"] = DealStages.ClosedWon,
        ["Closed Lost"] = DealStages.ClosedLost,
    };

    public static string SourceStageFor(string canonicalStage) => canonicalStage switch
    {
        DealStages.Lead => "New Lead",
        DealStages.Qualified => "Discovery Call",
        DealStages.Demo => "Demo Scheduled",
        DealStages.Proposal => "Proposal Sent",
        DealStages.Negotiation => "Contract Negotiation",
        DealStages.ClosedWon => "Closed Won",
        DealStages.ClosedLost => "Closed Lost",
        _ => throw new ArgumentOutOfRangeException(nameof(canonicalStage), canonicalStage, "Not a canonical stage."),
    };
}
