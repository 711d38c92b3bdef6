using System.ComponentModel.DataAnnotations;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Configuration section <c>Http</c>: what sits in front of the service. <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed only from <see cref="KnownProxies"/> (addresses or CIDR networks, e.g. the
/// ingress controller's pod network); from anyone else they are ignored, so a client cannot pick its own address.
/// </summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Http";

    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Strict-Transport-Security on HTTPS answers (also HTTPS terminated at a known proxy).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "730.00:00:00")]
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public IEnumerable<string> Problems() =>
        KnownProxies.Where(proxy => !System.Net.IPNetwork.TryParse(proxy, out _) && !System.Net.IPAddress.TryParse(proxy, out _))
            .Select(proxy => $"Http:KnownProxies holds '{proxy}', which is neither an IP address nor a CIDR network.");

    public IEnumerable<System.Net.IPNetwork> Networks() =>
        KnownProxies.Select(proxy => System.Net.IPNetwork.TryParse(proxy, out var network)
            ? network
            : new System.Net.IPNetwork(System.Net.IPAddress.Parse(proxy), System.Net.IPAddress.Parse(proxy).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
}
