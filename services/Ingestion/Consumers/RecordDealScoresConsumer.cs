using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;

namespace DealRisk.Ingestion.Consumers;

/// <summary>
/// A single rescored deal: keeps the latest score per deal for <c>GET /deals/{source}/{externalId}</c> (the history
/// behind <c>GET /deals/{source}/{externalId}/scores</c> is scoring's); a redelivered or older score changes nothing.
/// </summary>
public sealed class RecordDealScoresConsumer(LatestScores scores) : IConsumer<DealScored>
{
    public Task Consume(ConsumeContext<DealScored> context) => scores.SaveNewerAsync(context.Message, context.CancellationToken);
}

public sealed class RecordDealScoresConsumerDefinition : ConsumerDefinition<RecordDealScoresConsumer>
{
    public RecordDealScoresConsumerDefinition() => ConcurrentMessageLimit = 2;
}
