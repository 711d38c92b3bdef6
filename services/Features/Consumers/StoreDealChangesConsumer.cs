using DealRisk.Contracts;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>
/// The real-time path for a CRM delivery's stored changes: every deal copy stored, and for each change that can move a
/// feature the deal's features recomputed and sent on for scoring, one <see cref="FeaturesComputed"/> per deal. The
/// changes are taken all at once, so their writes share the combined transactions of <see cref="RealTimeWrites"/>.
/// </summary>
public sealed class StoreDealChangesConsumer(ChangedDealFeatures features, RealTimeWrites writes) : IConsumer<DealChangesStored>
{
    public async Task Consume(ConsumeContext<DealChangesStored> context)
    {
        var message = context.Message;
        var synced = message.Synced.Select(change => writes.SaveDealAsync(change.Deal, context.CancellationToken)).ToList();
        var rescored = message.Rescored.Select(change => features.ComputeAsync(change, context.CancellationToken)).ToList();
        await Task.WhenAll(synced);
        var computed = await Task.WhenAll(rescored);
        await Task.WhenAll(computed.OfType<FeaturesComputed>().Select(deal => context.Publish(deal, context.CancellationToken)));
    }
}

public sealed class StoreDealChangesConsumerDefinition : ConsumerDefinition<StoreDealChangesConsumer>
{
    /// <summary>A message holds up to a hundred changes, already taken at once; a few messages at a time keep the writer's groups full.</summary>
    public const int ConcurrentMessages = 4;

    public StoreDealChangesConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMessages;

    /// <summary>The outbox holds the scores' triggers until every change is stored, then sends them concurrently, so their confirms overlap.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StoreDealChangesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context, outbox => outbox.ConcurrentMessageDelivery = true);
}
