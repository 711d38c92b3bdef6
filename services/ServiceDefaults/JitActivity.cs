using System.Runtime;

namespace DealRisk.ServiceDefaults;

/// <summary>The runtime's method compilations, to wait until the methods made hot have been recompiled optimized.</summary>
public static class JitActivity
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Returns once no more than a handful of methods were compiled in each of two polls in a row (tier-1 compilation
    /// runs on a background thread after a method's first calls), or after <paramref name="limit"/>.
    /// </summary>
    public static async Task WaitForQuietAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        var quietPolls = 0;
        var compiled = JitInfo.GetCompiledMethodCount();
        while (quietPolls < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(Poll, cancellationToken);
            var now = JitInfo.GetCompiledMethodCount();
            quietPolls = now - compiled <= 5 ? quietPolls + 1 : 0;
            compiled = now;
        }
    }
}
