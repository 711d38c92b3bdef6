using System.Collections.Concurrent;
using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.AllInOne;

/// <summary>Lets the train command wait for the outcome of the training run it requested.</summary>
public sealed class TrainingSignals
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ModelTrained>> _waiting = new();

    public Task<ModelTrained> WaitAsync(Guid correlationId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Source(correlationId).Task.WaitAsync(timeout, cancellationToken);

    public void Signal(ModelTrained trained) => Source(trained.CorrelationId).TrySetResult(trained);

    private TaskCompletionSource<ModelTrained> Source(Guid correlationId) =>
        _waiting.GetOrAdd(correlationId, _ => new TaskCompletionSource<ModelTrained>(TaskCreationOptions.RunContinuationsAsynchronously));
}

public sealed class SignalModelTrainedConsumer(TrainingSignals signals) : IConsumer<ModelTrained>
{
    public Task Consume(ConsumeContext<ModelTrained> context)
    {
        signals.Signal(context.Message);
        return Task.CompletedTask;
    }
}
