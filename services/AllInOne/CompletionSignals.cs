using System.Collections.Concurrent;

namespace DealRisk.AllInOne;

/// <summary>Lets a command wait for the message that completes what it started (a batch's report, a training run's outcome), by id.</summary>
public sealed class CompletionSignals<T> where T : class
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<T>> _waiting = new();

    public Task<T> WaitAsync(Guid id, TimeSpan timeout, CancellationToken cancellationToken) =>
        Source(id).Task.WaitAsync(timeout, cancellationToken);

    public void Signal(Guid id, T message) => Source(id).TrySetResult(message);

    private TaskCompletionSource<T> Source(Guid id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));
}
