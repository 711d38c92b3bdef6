using System.Net;
using System.Security.Cryptography;
using System.Text;
using DealRisk.Contracts;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.Salesforce;

/// <summary>Configuration section <c>Crm:Salesforce</c>: which orgs may send outbound messages, and how StageName maps.</summary>
public sealed class SalesforceOptions
{
    public const string SectionName = "Crm:Salesforce";

    /// <summary>18- (or 15-) character organization ids accepted from outbound messages; none configured means none accepted.</summary>
    public List<string> OrganizationIds { get; set; } = [];

    /// <summary>
    /// The secret path segment of <c>POST /webhooks/salesforce/{token}</c>; from the environment
    /// (<c>Crm__Salesforce__EndpointToken</c>) only. The org id alone is no secret: it shows in Web-to-Lead forms.
    /// </summary>
    public string? EndpointToken { get; set; }

    /// <summary>Networks (CIDR, e.g. Salesforce's published ranges) outbound messages may come from; empty allows any address.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How far a <c>LastModifiedDate</c> may lie ahead of this server's clock; a later one counts as now.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Salesforce sends 1 to 100 notifications per message; a message with more is not Salesforce.</summary>
    public int MaxNotificationsPerMessage { get; set; } = 100;

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

    /// <summary>Compared as hashes in constant time, so neither the content nor the length of the token leaks through timing.</summary>
    public bool HasEndpointToken(string presented) =>
        !string.IsNullOrEmpty(EndpointToken)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(EndpointToken)));

    public bool AllowsAddress(IPAddress? address)
    {
        if (AllowedNetworks.Count == 0)
            return true;
        if (address is null)
            return false;
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return AllowedNetworks.Any(network => System.Net.IPNetwork.Parse(network).Contains(candidate));
    }

    /// <summary>A <c>LastModifiedDate</c> beyond now plus the skew would become a watermark that drops every genuine later update.</summary>
    public DateTimeOffset? Clamp(DateTimeOffset? lastModified, DateTimeOffset now) =>
        lastModified > now + ClockSkew ? now : lastModified;
}

public sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public const int MinimumTokenLength = 24;

    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var failures = new List<string>();
        var unknown = options.Stages.Where(stage => !DealStages.IsKnown(stage.Value)).Select(stage => $"{stage.Key}={stage.Value}").ToList();
        if (unknown.Count > 0)
            failures.Add($"Crm:Salesforce:Stages maps onto unknown canonical stages ({string.Join(", ", unknown)}); expected one of {string.Join(", ", DealStages.All)}.");
        if (options.EndpointToken is { Length: > 0 and < MinimumTokenLength })
            failures.Add($"Crm:Salesforce:EndpointToken must be at least {MinimumTokenLength} characters (e.g. openssl rand -hex 24).");
        var badNetworks = options.AllowedNetworks.Where(network => !System.Net.IPNetwork.TryParse(network, out _)).ToList();
        if (badNetworks.Count > 0)
            failures.Add($"Crm:Salesforce:AllowedNetworks holds entries that are not CIDR networks: {string.Join(", ", badNetworks)}.");
        if (options.MaxNotificationsPerMessage is < 1 or > 100)
            failures.Add("Crm:Salesforce:MaxNotificationsPerMessage must be between 1 and 100.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
