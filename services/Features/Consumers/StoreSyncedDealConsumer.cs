using DealRisk.Contracts;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>
/// Keeps the feature store's own copy of every deal and its history current for changes not rescored now (a rescored
/// change's copy is stored by <see cref="RecomputeDealFeaturesConsumer"/>); older versions are ignored.
/// </summary>
public sealed class StoreSyncedDealConsumer(RealTimeWrites writes) : IConsumer<DealSynced>
{
    public Task Consume(ConsumeContext<DealSynced> context) => writes.SaveDealAsync(context.Message.Deal, context.CancellationToken);
}

public sealed class StoreSyncedDealConsumerDefinition : ConsumerDefinition<StoreSyncedDealConsumer>
{
    public StoreSyncedDealConsumerDefinition() => ConcurrentMessageLimit = RecomputeDealFeaturesConsumerDefinition.ConcurrentMessages;
}
