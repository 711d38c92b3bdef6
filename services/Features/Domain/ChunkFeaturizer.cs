using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>
/// One open batch chunk's work: its deal copies loaded and featurized as of the chunk's date straight into the
/// rows × features matrix the chunk's payload carries, with no per-deal feature vector in between.
/// </summary>
public static class ChunkFeaturizer
{
    public static async Task<FeatureChunkComputed> ComputeAsync(
        DealCopies copies, DealChunkSynced chunk, FeatureContext context, Func<ResyncDeals, Task> requestResync, CancellationToken cancellationToken)
    {
        var deals = await copies.LoadAsync(chunk, requestResync, cancellationToken);
        var instant = AsOfClock.EndOf(chunk.AsOf);
        var width = RiskSignals.Names.Count;
        var values = new double[deals.Count * width];
        var profiles = new DealProfile[deals.Count];
        for (var row = 0; row < deals.Count; row++)
            profiles[row] = DealFeaturizer.Featurize(deals[row], instant, context, values.AsSpan(row * width, width));

        return new FeatureChunkComputed
        {
            CorrelationId = chunk.CorrelationId,
            AsOf = instant,
            Batch = new BatchChunk { BatchId = chunk.BatchId, AsOf = chunk.AsOf, ChunkIndex = chunk.ChunkIndex },
            Payload = new FeatureChunk { FeatureNames = [.. RiskSignals.Names], Deals = DealColumns.Of(profiles), Values = values }.ToBytes(),
        };
    }
}
