using DealRisk.Features.Storage;

namespace DealRisk.Features.Domain;

/// <summary>
/// The statistics of the newest batch, kept in memory for the real-time path so rescoring one deal does not re-read
/// them. Each use reads the small marker naming the batch they came from, so statistics a batch finalized on any
/// replica replace the cached ones at once.
/// </summary>
public sealed class FeatureContextCache(FeatureStore store)
{
    // A reference, so concurrent consumers swap and read it whole: a tuple struct could be read half-written.
    private volatile Cached? _current;

    public async Task<FeatureContext> GetAsync(CancellationToken cancellationToken)
    {
        var marker = await store.LatestStatisticsMarker.GetAsync(FeatureStore.LatestStatisticsId, cancellationToken);
        if (_current is { } current && current.BatchId == marker?.BatchId)
            return current.Context;

        var latest = await store.Statistics.GetAsync(FeatureStore.LatestStatisticsId, cancellationToken);
        var context = new FeatureContext(latest?.Statistics ?? OutcomeStatistics.Empty);
        _current = new Cached(context, latest?.BatchId);
        return context;
    }

    /// <summary>Called once a batch's statistics became the latest: stores the marker every replica checks.</summary>
    public async Task SetAsync(BatchStatistics latest, CancellationToken cancellationToken)
    {
        await store.LatestStatisticsMarker.UpsertAsync(FeatureStore.LatestStatisticsId, new LatestStatistics { BatchId = latest.BatchId }, cancellationToken);
        _current = new Cached(new FeatureContext(latest.Statistics), latest.BatchId);
    }

    private sealed record Cached(FeatureContext Context, Guid? BatchId);
}
