using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.ScoreHistory;

/// <summary>Answers a deal's newest score from the head of its history, for ingestion's <c>GET /deals/{source}/{externalId}</c>.</summary>
public sealed class ServeLatestScoreConsumer(IScoreHistory history) : IConsumer<GetDealLatestScore>
{
    public async Task Consume(ConsumeContext<GetDealLatestScore> context)
    {
        var request = context.Message;
        var latest = await history.LatestAsync(DealKey.Of(request.Source, request.ExternalId), context.CancellationToken);
        await context.RespondAsync(new DealLatestScoreFound
        {
            Source = request.Source,
            ExternalId = request.ExternalId,
            Score = latest?.ToContract(),
        });
    }
}

public sealed class ServeLatestScoreConsumerDefinition : ConsumerDefinition<ServeLatestScoreConsumer>
{
    /// <summary>A person is waiting on each; none queues behind a batch chunk.</summary>
    public ServeLatestScoreConsumerDefinition() => ConcurrentMessageLimit = 4;
}
