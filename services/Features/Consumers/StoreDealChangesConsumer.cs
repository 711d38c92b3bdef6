using DealRisk.Contracts;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>
/// The real-time path for a CRM delivery's stored changes: every deal copy stored, and for each change that can move a
/// feature the deal's features recomputed and sent on for scoring, together in one <see cref="FeaturesComputed"/>. The
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
        await Task.WhenAll(Together(computed.OfType<FeaturesComputed>()).Select(features => context.Publish(features, context.CancellationToken)));
    }

    /// <summary>
    /// The delivery's rescores in one message per as-of instant (a CRM clock ahead of ours can move one deal's), each
    /// deal with its own trigger, so scoring takes the delivery in one message as well.
    /// </summary>
    private static IEnumerable<FeaturesComputed> Together(IEnumerable<FeaturesComputed> rescores) =>
        rescores.GroupBy(features => features.AsOf).Select(group => FeaturesComputed.OfDelivery([.. group]));
}

public sealed class StoreDealChangesConsumerDefinition : ConsumerDefinition<StoreDealChangesConsumer>
{
    /// <summary>A message holds up to a hundred changes, already taken at once; a few messages at a time keep the writer's groups full.</summary>
    public const int ConcurrentMessages = 4;

    public StoreDealChangesConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMessages;

    /// <summary>The outbox holds what goes on to scoring until every change is stored, then sends it (concurrently when the as-ofs differ).</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StoreDealChangesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context, outbox => outbox.ConcurrentMessageDelivery = true);
}
