using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>One open batch chunk's work: its deal copies loaded and featurized as of the chunk's date into the chunk's feature payload.</summary>
public static class ChunkFeaturizer
{
    public static async Task<FeatureChunkComputed> ComputeAsync(
        DealCopies copies, DealChunkSynced chunk, FeatureContext context, Func<ResyncDeals, Task> requestResync, CancellationToken cancellationToken)
    {
        var deals = await copies.LoadAsync(chunk, requestResync, cancellationToken);
        var instant = AsOfClock.EndOf(chunk.AsOf);
        var vectors = new List<DealFeatureVector>(deals.Count);
        foreach (var deal in deals)
            vectors.Add(DealFeaturizer.Featurize(deal, instant, context));

        return FeatureChunkComputed.Of(new FeaturesComputed
        {
            CorrelationId = chunk.CorrelationId,
            AsOf = instant,
            Batch = new BatchChunk { BatchId = chunk.BatchId, AsOf = chunk.AsOf, ChunkIndex = chunk.ChunkIndex },
            FeatureNames = RiskSignals.Names,
            Deals = vectors,
        });
    }
}
