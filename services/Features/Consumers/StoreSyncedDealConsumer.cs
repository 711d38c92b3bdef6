using DealRisk.Contracts;
using DealRisk.Features.Domain;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>Keeps the feature store's own copy of every deal and its history current; older versions are ignored.</summary>
public sealed class StoreSyncedDealConsumer(DealCopies copies) : IConsumer<DealSynced>
{
    public Task Consume(ConsumeContext<DealSynced> context) => copies.SaveAsync(context.Message.Deal, context.CancellationToken);
}
