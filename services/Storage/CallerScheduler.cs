namespace DealRisk.Storage;

/// <summary>
/// <see cref="Task.Run(Action)"/> on the caller's task scheduler: side work started by a batch chunk stays on the batch
/// lane, below real-time work; started anywhere else it runs on the thread pool, as <c>Task.Run</c> would.
/// </summary>
public static class CallerScheduler
{
    public static Task Run(Action work, CancellationToken ct) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, TaskScheduler.Current);

    public static Task<T> Run<T>(Func<T> work, CancellationToken ct) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, TaskScheduler.Current);

    public static Task<T> Run<T>(Func<Task<T>> work, CancellationToken ct) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, TaskScheduler.Current).Unwrap();
}
