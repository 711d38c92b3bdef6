using DealRisk.Contracts;
using DealRisk.Ingestion.Batch;
using MassTransit;

namespace DealRisk.Ingestion.Consumers;

/// <summary>
/// A scored batch chunk's receipt, which lets the batch publisher send the next chunk (<see cref="OpenChunkPacing"/>),
/// on the batch's own endpoint; a redelivered chunk records nothing new. The scores are scoring's to keep: the payload
/// is never opened here.
/// </summary>
public sealed class RecordScoredChunkConsumer(ScoredChunkReceipts receipts) : IConsumer<DealChunkScored>
{
    public Task Consume(ConsumeContext<DealChunkScored> context) => receipts.RecordAsync(context.Message.Batch, context.CancellationToken);
}

public sealed class RecordScoredChunkConsumerDefinition : ConsumerDefinition<RecordScoredChunkConsumer>
{
    /// <summary>One chunk at a time: the writes serialize on the store anyway, and the batch's own work needs the cores.</summary>
    public RecordScoredChunkConsumerDefinition() => ConcurrentMessageLimit = 1;
}
