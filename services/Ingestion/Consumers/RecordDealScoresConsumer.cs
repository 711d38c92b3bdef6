using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;

namespace DealRisk.Ingestion.Consumers;

/// <summary>
/// A single rescored deal: keeps the latest score per deal for <c>GET /deals/{source}/{externalId}</c> and every score in the deal's history for
/// <c>GET /deals/{source}/{externalId}/scores</c>; a redelivered or older score changes nothing.
/// </summary>
public sealed class RecordDealScoresConsumer(LatestScores scores, DealScoreHistory history) : IConsumer<DealScored>
{
    public async Task Consume(ConsumeContext<DealScored> context)
    {
        await scores.SaveNewerAsync(context.Message, context.CancellationToken);
        await history.RecordAsync(context.Message, context.CancellationToken);
    }
}

public sealed class RecordDealScoresConsumerDefinition : ConsumerDefinition<RecordDealScoresConsumer>
{
    public RecordDealScoresConsumerDefinition() => ConcurrentMessageLimit = 2;
}
