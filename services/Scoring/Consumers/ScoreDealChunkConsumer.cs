using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.ServiceDefaults.BatchPriority;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>The daily batch: a columnar chunk of features in, a columnar chunk of scores out, on the batch's own endpoint.</summary>
public sealed class ScoreDealChunkConsumer(FeatureScoring scoring) : IConsumer<FeatureChunkComputed>
{
    public async Task Consume(ConsumeContext<FeatureChunkComputed> context)
    {
        var computed = context.Message.ReadFeatures();
        var scored = await scoring.ScoreAsync(computed, context);
        await context.Publish(DealChunkScored.Of(scored), context.CancellationToken);
    }
}

/// <summary>Two chunks at a time on two cores; single-deal rescores have their own endpoint and never wait behind these.</summary>
public sealed class ScoreDealChunkConsumerDefinition : ConsumerDefinition<ScoreDealChunkConsumer>
{
    public ScoreDealChunkConsumerDefinition() => ConcurrentMessageLimit = 2;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScoreDealChunkConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseBatchPriority(context);
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
