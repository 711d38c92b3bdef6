using System.Collections.Concurrent;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed sign-ins from one address within
/// <see cref="Window"/>, that address is refused until the window has passed.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new();

    public bool IsBlocked(string address) =>
        _failures.TryGetValue(address, out var entry) && entry.Failures >= MaxFailures && time.GetUtcNow() - entry.Since < Window;

    public void Failed(string address)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(address, (1, now), (_, entry) => now - entry.Since < Window ? (entry.Failures + 1, entry.Since) : (1, now));
    }

    public void Succeeded(string address) => _failures.TryRemove(address, out _);
}
