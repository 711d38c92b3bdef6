using DealRisk.Contracts;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.Storage;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>Scores what the feature service computed, one deal or a batch chunk, and publishes the scores.</summary>
public sealed class ScoreDealsConsumer(RuleScorer scorer, ScoreStore store) : IConsumer<FeaturesComputed>
{
    public async Task Consume(ConsumeContext<FeaturesComputed> context)
    {
        var computed = context.Message;
        var scored = new DealScored
        {
            CorrelationId = computed.CorrelationId,
            AsOf = computed.AsOf,
            Batch = computed.Batch,
            Scorer = RuleScorer.ScorerName,
            Scores = scorer.Score(computed),
        };

        if (computed.Batch is { } batch)
        {
            await store.ScoreChunks.UpsertAsync(ScoreStore.ChunkId(batch), scored, context.CancellationToken);
        }
        else
        {
            foreach (var score in scored.Scores)
                await store.LatestScores.UpsertIfNewerAsync(ScoreStore.DealId(score.Deal), score.Deal.Version, score, context.CancellationToken);
        }

        await context.Publish(scored, context.CancellationToken);
    }
}

public sealed class ScoreDealsConsumerDefinition : ConsumerDefinition<ScoreDealsConsumer>
{
    public ScoreDealsConsumerDefinition() => ConcurrentMessageLimit = 4;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreDealsConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
