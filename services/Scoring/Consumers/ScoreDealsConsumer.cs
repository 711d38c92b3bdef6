using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>The real-time path: the features of one deal, or of the deals one CRM delivery changed, in; their scores out, on an endpoint no batch chunk queues on.</summary>
public sealed class ScoreDealsConsumer(FeatureScoring scoring) : IConsumer<FeaturesComputed>
{
    public async Task Consume(ConsumeContext<FeaturesComputed> context)
    {
        // A batch travels as FeatureChunkComputed; a real-time message is scored as one, whatever it claims.
        var computed = context.Message with { Batch = null };
        var scored = await scoring.ScoreAsync(computed, context);
        await context.Publish(scored, context.CancellationToken);
    }
}

public sealed class ScoreDealsConsumerDefinition : ConsumerDefinition<ScoreDealsConsumer>
{
    /// <summary>
    /// Most of a message's time is the wait for the broker to confirm its DealScored, and while a daily batch runs that
    /// wait grows to tens of milliseconds: with 4 at once a burst left a queue that drained for tens of seconds, and with
    /// 16 the real-time queue fell behind for the whole of a 1,000,000-deal batch. Waiting messages cost no CPU.
    /// </summary>
    public const int ConcurrentMessages = 64;

    public ScoreDealsConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMessages;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreDealsConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
