using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.ScoreHistory;

/// <summary>Answers a deal's score history from the one copy scoring keeps, for ingestion's API and the dashboard's deal page.</summary>
public sealed class ServeScoreHistoryConsumer(IScoreHistory history) : IConsumer<GetDealScoreHistory>
{
    public async Task Consume(ConsumeContext<GetDealScoreHistory> context)
    {
        var request = context.Message;
        var entries = await history.ReadAsync(DealKey.Of(request.Source, request.ExternalId), context.CancellationToken);
        await context.RespondAsync(new DealScoreHistoryFound
        {
            Source = request.Source,
            ExternalId = request.ExternalId,
            Scores = [.. entries.Select(entry => entry.ToContract())],
        });
    }
}

public sealed class ServeScoreHistoryConsumerDefinition : ConsumerDefinition<ServeScoreHistoryConsumer>
{
    /// <summary>A person is waiting on each; none queues behind a batch chunk.</summary>
    public ServeScoreHistoryConsumerDefinition() => ConcurrentMessageLimit = 4;
}
