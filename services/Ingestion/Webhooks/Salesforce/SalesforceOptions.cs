using DealRisk.Contracts;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.Salesforce;

/// <summary>Configuration section <c>Crm:Salesforce</c>: which orgs may send outbound messages, and how StageName maps.</summary>
public sealed class SalesforceOptions
{
    public const string SectionName = "Crm:Salesforce";

    /// <summary>18- (or 15-) character organization ids accepted from outbound messages; none configured means none accepted.</summary>
    public List<string> OrganizationIds { get; set; } = [];

    public long MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Opportunity StageName → canonical stage; Salesforce's standard sales process is mapped out of the box.</summary>
    public Dictionary<string, string> Stages { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Prospecting"] = DealStages.Lead,
        ["Qualification"] = DealStages.Qualified,
        ["Needs Analysis"] = DealStages.Qualified,
        ["Value Proposition"] = DealStages.Demo,
        ["Id. Decision Makers"] = DealStages.Demo,
        ["Perception Analysis"] = DealStages.Demo,
        ["Proposal/Price Quote"] = DealStages.Proposal,
        ["Negotiation/Review"] = DealStages.Negotiation,
        ["Closed Won"] = DealStages.ClosedWon,
        ["Closed Lost"] = DealStages.ClosedLost,
    };

    /// <summary>Salesforce's 15-character id is the 18-character one without its case-safe suffix; either form matches.</summary>
    public bool Accepts(string organizationId) =>
        OrganizationIds.Any(allowed => allowed.Length >= 15 && organizationId.Length >= 15
                                       && string.Equals(allowed[..15], organizationId[..15], StringComparison.Ordinal));
}

public sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var unknown = options.Stages.Where(stage => !DealStages.IsKnown(stage.Value)).Select(stage => $"{stage.Key}={stage.Value}").ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Crm:Salesforce:Stages maps onto unknown canonical stages ({string.Join(", ", unknown)}); expected one of {string.Join(", ", DealStages.All)}.");
    }
}
