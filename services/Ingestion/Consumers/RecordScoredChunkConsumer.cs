using DealRisk.Contracts;
using DealRisk.Ingestion.Batch;
using DealRisk.Ingestion.Deals;
using MassTransit;

namespace DealRisk.Ingestion.Consumers;

/// <summary>
/// A batch chunk's scores into the latest score per deal (<c>GET /deals</c>), on the batch's own endpoint; older or
/// redelivered scores change nothing. Then a receipt, which lets the batch publisher send the next chunk.
/// </summary>
public sealed class RecordScoredChunkConsumer(LatestScores scores, ScoredChunkReceipts receipts) : IConsumer<DealChunkScored>
{
    public async Task Consume(ConsumeContext<DealChunkScored> context)
    {
        var chunk = context.Message;
        await scores.SaveNewerAsync(chunk.ReadScores().All().ToList(), chunk.AsOf, context.CancellationToken);
        await receipts.RecordAsync(chunk.Batch, context.CancellationToken);
    }
}

public sealed class RecordScoredChunkConsumerDefinition : ConsumerDefinition<RecordScoredChunkConsumer>
{
    /// <summary>One chunk at a time: the writes serialize on the store anyway, and the batch's own work needs the cores.</summary>
    public RecordScoredChunkConsumerDefinition() => ConcurrentMessageLimit = 1;
}
