using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.AllInOne;

public sealed class SignalModelTrainedConsumer(CompletionSignals<ModelTrained> signals) : IConsumer<ModelTrained>
{
    public Task Consume(ConsumeContext<ModelTrained> context)
    {
        signals.Signal(context.Message.CorrelationId, context.Message);
        return Task.CompletedTask;
    }
}
