using DealRisk.Contracts;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>Configuration section <c>Crm:HubSpot</c>: the app secret that signs webhooks and how pipeline stages map.</summary>
public sealed class HubSpotOptions
{
    public const string SectionName = "Crm:HubSpot";

    /// <summary>The app's client secret; from the environment (<c>Crm__HubSpot__ClientSecret</c>), never a committed file.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scheme and host HubSpot calls (e.g. <c>https://crm.example.com</c>) when a proxy sits in front; otherwise the request's own URL is signed.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The URI HubSpot signs for a request to <paramref name="pathAndQuery"/>: at <see cref="PublicBaseUrl"/> when one is
    /// configured, else the request's own URL (<paramref name="requestUrl"/>).
    /// </summary>
    public string SignedUri(string pathAndQuery, string requestUrl) =>
        PublicBaseUrl is { } publicBase ? publicBase.GetLeftPart(UriPartial.Authority) + pathAndQuery : requestUrl;

    public TimeSpan MaxSignatureAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far a request timestamp or an event's <c>occurredAt</c> may lie ahead of this server's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Portals (HubSpot accounts) whose events are applied, e.g. <c>Crm__HubSpot__PortalIds__0=62515</c>. The app
    /// may be installed in test or sandbox portals too, and deals are keyed by object id alone: events from any
    /// other portal are refused. Empty accepts every portal where the app is installed.
    /// </summary>
    public List<long> PortalIds { get; set; } = [];

    public bool AcceptsPortal(long portalId) => PortalIds.Count == 0 || PortalIds.Contains(portalId);

    /// <summary>A batch of 100 events is a few tens of kilobytes; anything far larger is not HubSpot.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public int MaxEventsPerRequest { get; set; } = 100;

    /// <summary>Pipeline stage id → canonical stage; HubSpot's default sales pipeline is mapped out of the box.</summary>
    public Dictionary<string, string> Stages { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["appointmentscheduled"] = DealStages.Qualified,
        ["qualifiedtobuy"] = DealStages.Qualified,
        ["presentationscheduled"] = DealStages.Demo,
        ["decisionmakerboughtin"] = DealStages.Proposal,
        ["contractsent"] = DealStages.Negotiation,
        ["closedwon"] = DealStages.ClosedWon,
        ["closedlost"] = DealStages.ClosedLost,
    };
}

public sealed class HubSpotOptionsValidator : IValidateOptions<HubSpotOptions>
{
    public ValidateOptionsResult Validate(string? name, HubSpotOptions options)
    {
        var unknown = options.Stages.Where(stage => !DealStages.IsKnown(stage.Value)).Select(stage => $"{stage.Key}={stage.Value}").ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Crm:HubSpot:Stages maps onto unknown canonical stages ({string.Join(", ", unknown)}); expected one of {string.Join(", ", DealStages.All)}.");
    }
}
