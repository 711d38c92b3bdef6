using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;

namespace DealRisk.Ingestion.Consumers;

/// <summary>Publishes the stored state of deals again for a consumer that missed them (for example a feature store rebuilt from empty).</summary>
public sealed class ResyncDealsConsumer(DealRepository deals, TimeProvider time) : IConsumer<ResyncDeals>
{
    public async Task Consume(ConsumeContext<ResyncDeals> context)
    {
        var now = time.GetUtcNow();
        await foreach (var deal in deals.GetManyAsync(context.Message.Deals, context.CancellationToken))
        {
            await context.Publish(new DealSynced
            {
                CorrelationId = context.Message.CorrelationId,
                Deal = deal,
                Origin = "resync",
                SyncedAt = now,
            }, context.CancellationToken);
        }
    }
}
