using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// Keeps dashboard sessions on the server, the cookie holding only a random key, so signing out ends the session
/// for good: a copy of the cookie taken before is worth nothing after. Bounded; sessions end with the process.
/// </summary>
public sealed class DashboardSessions(TimeProvider time) : ITicketStore
{
    public const int MaxSessions = 1000;

    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);

    public int Count => _tickets.Count;

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        RemoveExpired();
        while (_tickets.Count >= MaxSessions && _tickets.MinBy(entry => entry.Value.Properties.IssuedUtc ?? DateTimeOffset.MinValue) is { Key: { } oldest })
            _tickets.TryRemove(oldest, out _);
        _tickets[key] = ticket;
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        if (_tickets.ContainsKey(key))
            _tickets[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_tickets.TryGetValue(key, out var ticket) && !IsExpired(ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _tickets.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private void RemoveExpired()
    {
        foreach (var expired in _tickets.Where(entry => IsExpired(entry.Value)).Select(entry => entry.Key).ToList())
            _tickets.TryRemove(expired, out _);
    }

    private bool IsExpired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires <= time.GetUtcNow();
}

/// <summary>Wires <see cref="DashboardSessions"/> into the cookie handler.</summary>
internal sealed class DashboardSessionsSetup(DashboardSessions sessions) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == CookieAuthenticationDefaults.AuthenticationScheme)
            options.SessionStore = sessions;
    }
}
