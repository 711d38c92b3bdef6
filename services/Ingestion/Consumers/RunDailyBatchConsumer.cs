using DealRisk.Contracts;
using DealRisk.Ingestion.Batch;
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
        endpointConfigurator.UseMessageRetry(r => r.Intervals(1000, 5000));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
