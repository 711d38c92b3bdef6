using DealRisk.Contracts;

namespace DealRisk.Scoring.Rules;

/// <summary>The signal catalogue as the Markdown table the README shows and <c>dealrisk rules signals</c> prints.</summary>
public static class SignalTable
{
    private static readonly DealProfile ExampleDeal = new()
    {
        Source = "example", ExternalId = "D-1", Version = 1, Stage = DealStages.Proposal,
        Industry = "Retail", Region = "EMEA", LeadSource = "Partner", Product = "Analytics",
    };

    public static string Markdown()
    {
        var lines = new List<string>
        {
            "| signal | unit | what it measures | reason, for example | default action |",
            "|---|---|---|---|---|",
        };
        lines.AddRange(RiskSignals.Catalogue.Select(signal =>
            $"| `{signal.Name}` | {signal.Unit} | {signal.Description} | {signal.Describe(signal.ExampleValue, ExampleDeal) ?? "(context only, never a reason)"} | {signal.DefaultAction} |"));
        return string.Join('\n', lines) + '\n';
    }
}
