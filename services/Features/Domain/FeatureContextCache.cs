using DealRisk.Features.Storage;

namespace DealRisk.Features.Domain;

/// <summary>
/// The statistics of the newest batch, kept in memory for the real-time path so rescoring one deal does not
/// re-read them; refreshed when this process finalizes a batch and at most a few minutes stale otherwise.
/// </summary>
public sealed class FeatureContextCache(FeatureStore store, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    // A reference, so concurrent consumers swap and read it whole: a tuple struct could be read half-written.
    private volatile Cached? _current;

    public async Task<FeatureContext> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetUtcNow() - current.LoadedAt < MaxAge)
            return current.Context;

        var latest = await store.Statistics.GetAsync(FeatureStore.LatestStatisticsId, cancellationToken);
        var context = new FeatureContext(latest?.Statistics ?? OutcomeStatistics.Empty);
        _current = new Cached(context, time.GetUtcNow());
        return context;
    }

    public void Set(FeatureContext context) => _current = new Cached(context, time.GetUtcNow());

    private sealed record Cached(FeatureContext Context, DateTimeOffset LoadedAt);
}
