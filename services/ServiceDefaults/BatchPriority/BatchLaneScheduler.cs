using System.Collections.Concurrent;

namespace DealRisk.ServiceDefaults.BatchPriority;

/// <summary>
/// Runs tasks on a few dedicated threads that the operating system schedules below every other thread of the process:
/// while the daily batch keeps both cores busy, a webhook, a rescore or a Slack alert still gets a core within
/// moments, and the batch takes whatever CPU is left.
/// </summary>
public sealed class BatchLaneScheduler : TaskScheduler
{
    /// <summary>
    /// Nice 19, the lowest: on a core shared with normal threads, lane threads get about a seventieth of it (CFS weights 15
    /// to 1024). At nice 10 (weights 110 to 1024) a service's several lane threads together still held enough of the core
    /// a real-time message woke on to show in the tail of rescoring during a batch
    /// (tests/DealRisk.Benchmarks/MEASUREMENTS.md, "The batch lane at nice 19"). <see cref="BusOptions.BatchLaneNiceness"/> sets another.
    /// </summary>
    public const int DefaultNiceness = 19;

    private static readonly Lock SharedLock = new();
    private static BatchLaneScheduler? _shared;

    private readonly BlockingCollection<Task> _queue = new();
    private readonly List<Thread> _threads;

    [ThreadStatic] private static BatchLaneScheduler? _laneOfThread;

    /// <param name="lowerCurrentThread">Lowers the calling thread's priority for good, false where the operating system refused; by default to <paramref name="niceness"/>.</param>
    public BatchLaneScheduler(int threadCount, int niceness = DefaultNiceness, Func<bool>? lowerCurrentThread = null)
    {
        Niceness = niceness;
        lowerCurrentThread ??= () => OsThreadPriority.TryLowerCurrentThread(niceness);
        var lowered = new CountdownEvent(threadCount);
        _threads = Enumerable.Range(0, threadCount).Select(index => new Thread(() => Work(lowerCurrentThread, lowered))
        {
            IsBackground = true,
            Name = $"batch-lane-{index}",
        }).ToList();
        foreach (var thread in _threads)
            thread.Start();
        // Settles Lowered before anyone reads it.
        lowered.Wait();
    }

    /// <summary>
    /// The process's one lane, at <paramref name="niceness"/>, with twice the cores in threads: a lane thread waiting on
    /// the store must not leave a core idle that the batch could use. Every service a process hosts shares it (the
    /// single-process mode hosts four), so they must all ask for the same niceness.
    /// </summary>
    public static BatchLaneScheduler Shared(int niceness)
    {
        lock (SharedLock)
        {
            _shared ??= new BatchLaneScheduler(Math.Max(4, 2 * Environment.ProcessorCount), niceness);
            if (_shared.Niceness != niceness)
                throw new InvalidOperationException(
                    $"This process's batch lane already runs at nice {_shared.Niceness}, and a service it hosts asks for {niceness}: one process has one lane, so give every service in it the same Bus__BatchLaneNiceness.");
            return _shared;
        }
    }

    /// <summary>The nice value the lane's threads were lowered to (Linux; elsewhere they run below normal priority).</summary>
    public int Niceness { get; }

    /// <summary>Whether the operating system gave the lane's threads their <see cref="Niceness"/> (false where it refused).</summary>
    public bool Lowered { get; private set; } = true;

    public override int MaximumConcurrencyLevel => _threads.Count;

    protected override void QueueTask(Task task) => _queue.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _laneOfThread == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Work(Func<bool> lowerCurrentThread, CountdownEvent lowered)
    {
        _laneOfThread = this;
        if (!lowerCurrentThread())
            Lowered = false;
        lowered.Signal();
        foreach (var task in _queue.GetConsumingEnumerable())
            TryExecuteTask(task);
    }
}
