using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// A request the service sends to its own HTTP listener while it warms up, so Kestrel's request path, the middleware,
/// the endpoint's filters and the endpoint itself are compiled by it rather than by the first real callers. It reaches
/// the endpoint before the service is ready, so it must be one the endpoint answers in full with nothing stored or
/// published (an empty delivery). <paramref name="Headers"/> gives what it carries beyond its body, computed as it is
/// sent (a signature over a fresh timestamp); null from it leaves the request unsent (no secret to sign it with).
/// </summary>
public sealed record SelfRequest(
    string Path, string ContentType, byte[] Body, Func<IServiceProvider, Uri, IReadOnlyList<KeyValuePair<string, string>>?>? Headers = null);

/// <summary>
/// How the service's own listener answered its <see cref="SelfRequest"/>s: <paramref name="Accepted"/> with a success
/// status, <paramref name="Refused"/> with any other, the first of which <paramref name="FirstRefusal"/> names (status and
/// path), since a refused request warmed up only the path to its refusal.
/// </summary>
public sealed record SelfRequestAnswers(int Accepted, int Refused, string? FirstRefusal)
{
    public static readonly SelfRequestAnswers None = new(0, 0, null);

    public SelfRequestAnswers Add(SelfRequestAnswers other) =>
        new(Accepted + other.Accepted, Refused + other.Refused, FirstRefusal ?? other.FirstRefusal);
}

/// <summary>
/// Sends the service's <see cref="SelfRequest"/>s to its own plain-HTTP listener; no listener, no requests. Each carries
/// a token only this process knows, so no caller can pass for one: they are let in before ready, and left out of the
/// traces as start-up work.
/// </summary>
public sealed class SelfRequests(IEnumerable<SelfRequest> requests, IServiceProvider services)
{
    public const string Header = "DealRisk-Warm-Up";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly byte[] _token = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    public bool IsSelfRequest(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) && values is [{ } value]
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), _token);

    /// <summary>Marks <paramref name="message"/> as one of this service's own requests.</summary>
    public void Mark(HttpRequestMessage message) => message.Headers.Add(Header, Encoding.ASCII.GetString(_token));

    /// <summary>Sends each request <paramref name="times"/> times; returns how they were answered.</summary>
    public async Task<SelfRequestAnswers> SendAsync(int times, CancellationToken cancellationToken)
    {
        var all = requests.ToList();
        if (all.Count == 0 || times == 0 || Listener() is not { } listener)
            return SelfRequestAnswers.None;
        using var suppressed = SuppressInstrumentationScope.Begin();
        using var http = new HttpClient { BaseAddress = listener, Timeout = Timeout };
        var (accepted, refused) = (0, 0);
        string? firstRefusal = null;
        for (var time = 0; time < times; time++)
        {
            foreach (var request in all)
            {
                using var message = Compose(request, listener);
                if (message is null)
                    continue;
                Mark(message);
                using var response = await http.SendAsync(message, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    accepted++;
                    continue;
                }
                refused++;
                firstRefusal ??= $"{(int)response.StatusCode} at {request.Path}";
            }
        }
        return new SelfRequestAnswers(accepted, refused, firstRefusal);
    }

    /// <summary>
    /// <paramref name="request"/> as it is sent to <paramref name="listener"/>, with its headers (signed now) but not yet
    /// marked as the service's own; null when it is not to be sent (no secret to sign it with).
    /// </summary>
    public HttpRequestMessage? Compose(SelfRequest request, Uri listener)
    {
        var extra = request.Headers is { } headers ? headers(services, new Uri(listener, request.Path)) : [];
        if (extra is null)
            return null;
        var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        foreach (var (name, value) in extra)
            message.Headers.Add(name, value);
        return message;
    }

    /// <summary>The loopback address of the service's first plain-HTTP listener, or null (no web host, or HTTPS only).</summary>
    private Uri? Listener()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var binding = BindingAddress.Parse(address);
            if (!string.Equals(binding.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) || binding.Port == 0 || binding.IsUnixPipe)
                continue;
            var host = IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)
                ? binding.Host
                : "127.0.0.1";
            return new Uri($"http://{host}:{binding.Port}/");
        }
        return null;
    }
}

public static class SelfRequestExtensions
{
    /// <summary>Requests sent to the service's own listener before it reports ready (<see cref="SelfRequest"/>).</summary>
    public static IServiceCollection WarmUpSelfRequests(this IServiceCollection services, params SelfRequest[] requests)
    {
        foreach (var request in requests)
            services.AddSingleton(request);
        services.AddSingleton<SelfRequests>();
        return services.AddBusWarmUp();
    }
}
