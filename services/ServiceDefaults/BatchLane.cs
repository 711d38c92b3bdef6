using System.Collections.Concurrent;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Where a service handles the daily batch's chunks: one dedicated thread per core, so a chunk's hundreds of
/// milliseconds of work never queue ahead of single-deal rescores on the thread pool, which the operating system then
/// shares the cores with. The threads start with the first chunk; work awaited inside a chunk continues on them.
/// (A lower OS priority for these threads was measured and not kept: rescores during a batch were no faster with it,
/// and the one batch compared used more CPU and longer garbage-collection pauses.)
/// </summary>
public sealed class BatchLane : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = new();
    private readonly Lazy<Thread[]> _threads;

    [ThreadStatic]
    private static BatchLane? _laneOfThisThread;

    public BatchLane() => _threads = new Lazy<Thread[]>(StartThreads);

    public override int MaximumConcurrencyLevel => Environment.ProcessorCount;

    /// <summary>Runs <paramref name="work"/> on the lane; its continuations stay there unless it gives them away.</summary>
    public Task RunAsync(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public void Dispose() => _queue.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        _ = _threads.Value;
        try
        {
            _queue.Add(task);
        }
        catch (InvalidOperationException)
        {
            // Disposed while a chunk was still in flight (the host stopping): the rest of it runs on the thread pool.
            ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _laneOfThisThread == this && !taskWasPreviouslyQueued && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private Thread[] StartThreads()
    {
        var threads = Enumerable.Range(1, MaximumConcurrencyLevel)
            .Select(number => new Thread(Work) { IsBackground = true, Name = $"batch-lane-{number}" })
            .ToArray();
        foreach (var thread in threads)
            thread.Start();
        return threads;
    }

    private void Work()
    {
        _laneOfThisThread = this;
        foreach (var task in _queue.GetConsumingEnumerable())
            TryExecuteTask(task);
    }
}

/// <summary>
/// Hands each message of an endpoint to the service's <see cref="BatchLane"/>, its writes marked as background ones
/// (<see cref="WritePriority"/>).
/// </summary>
public sealed class BatchLaneFilter(BatchLane lane) : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next) => lane.RunAsync(() =>
    {
        WritePriority.MarkBackground();
        return next.Send(context);
    });

    public void Probe(ProbeContext context) => context.CreateFilterScope("batch-lane");
}

public static class BatchLaneExtensions
{
    /// <summary>
    /// This endpoint carries batch chunks: on RabbitMQ, where each service is a process of its own beside the broker,
    /// its messages are handled on the service's <see cref="BatchLane"/>. The single-process mode keeps them on the
    /// thread pool: its whole batch took about 8 % more CPU on lanes (interleaved runs at 200,000 deals).
    /// </summary>
    public static void UseBatchLane(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        if (context.GetRequiredService<IOptions<BusOptions>>().Value.Transport == BusTransport.RabbitMq)
            endpoint.UseFilter(new BatchLaneFilter(context.GetRequiredService<BatchLane>()));
    }
}
