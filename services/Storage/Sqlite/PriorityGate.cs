namespace DealRisk.Storage;

/// <summary>
/// A mutual-exclusion gate like a <see cref="SemaphoreSlim"/> of one, except that on release it lets in the longest
/// waiting foreground caller before any background one (<see cref="WritePriority"/>).
/// </summary>
internal sealed class PriorityGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _foreground = new();
    private readonly Queue<TaskCompletionSource> _background = new();
    private bool _held;

    public void Wait() => WaitAsync(CancellationToken.None).GetAwaiter().GetResult();

    public async Task WaitAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (WritePriority.IsBackground ? _background : _foreground).Enqueue(waiter);
        }
        // A cancelled waiter stays queued; the release that reaches it finds it completed and passes on.
        using var cancellation = ct.Register(() => waiter.TrySetCanceled(ct));
        await waiter.Task.ConfigureAwait(false);
    }

    public void Release()
    {
        lock (_lock)
        {
            while (_foreground.TryDequeue(out var waiter) || _background.TryDequeue(out waiter))
            {
                if (waiter.TrySetResult())
                    return;
            }
            _held = false;
        }
    }
}
