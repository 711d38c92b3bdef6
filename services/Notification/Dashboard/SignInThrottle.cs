using System.Net;
using System.Net.Sockets;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// Slows password guessing: at most <see cref="MaxAttempts"/> unsuccessful sign-ins per user name and per address
/// within <see cref="Window"/>, counted when an attempt starts so parallel guesses cannot exceed it. An IPv6 address
/// counts by its /64, which one client can rotate through; any user name other than the configured one shares one
/// count. The table holds at most <see cref="MaxEntries"/> entries: the oldest tenth goes when it is full.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxAttempts = 5;
    public const int MaxEntries = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Attempts, DateTimeOffset Since)> _entries = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Counts an attempt against the user name and the address; false (and nothing counted) when either is locked out.</summary>
    public bool TryBegin(string userName, IPAddress? address)
    {
        var keys = Keys(userName, address);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (keys.Any(key => _entries.TryGetValue(key, out var entry) && now - entry.Since < Window && entry.Attempts >= MaxAttempts))
                return false;
            foreach (var key in keys)
            {
                if (_entries.TryGetValue(key, out var entry) && now - entry.Since < Window)
                {
                    _entries[key] = (entry.Attempts + 1, entry.Since);
                    continue;
                }
                MakeRoom(now);
                _entries[key] = (1, now);
            }
            return true;
        }
    }

    public void Succeeded(string userName, IPAddress? address)
    {
        lock (_gate)
            foreach (var key in Keys(userName, address))
                _entries.Remove(key);
    }

    /// <summary>Each known configured user and any other name; the address by host (IPv4) or /64 network (IPv6).</summary>
    public static string[] Keys(string userName, IPAddress? address) => [$"user:{userName}", $"address:{Network(address)}"];

    private static string Network(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < MaxEntries)
            return;
        foreach (var expired in _entries.Where(entry => now - entry.Value.Since >= Window).Select(entry => entry.Key).ToList())
            _entries.Remove(expired);
        if (_entries.Count < MaxEntries)
            return;
        foreach (var oldest in _entries.OrderBy(entry => entry.Value.Since).Take(MaxEntries / 10).Select(entry => entry.Key).ToList())
            _entries.Remove(oldest);
    }
}
