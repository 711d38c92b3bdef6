using DealRisk.Contracts;
using DealRisk.Ingestion.Batch;
using DealRisk.ServiceDefaults;
using DealRisk.ServiceDefaults.BatchPriority;
using MassTransit;

namespace DealRisk.Ingestion.Consumers;

public sealed class RunDailyBatchConsumer(DailyBatchPublisher batches) : IConsumer<RunDailyBatch>
{
    public Task Consume(ConsumeContext<RunDailyBatch> context) => batches.PublishAsync(context.Message, context.CancellationToken);
}

public sealed class RunDailyBatchConsumerDefinition : ConsumerDefinition<RunDailyBatchConsumer>
{
    public RunDailyBatchConsumerDefinition()
    {
        EndpointName = CommandQueues.RunDailyBatch;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RunDailyBatchConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // No in-memory outbox: it held every chunk of the book in memory until the last was published, and the publisher
        // paces open chunks on scored ones coming back, which an outbox would never let out. A retry publishes chunks
        // again under the same (batch, index), which every consumer takes once.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(1000, 5000));
        endpointConfigurator.UseBatchPriority(context);
    }
}
