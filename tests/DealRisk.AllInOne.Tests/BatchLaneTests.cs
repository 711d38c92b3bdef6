using DealRisk.ServiceDefaults;
using DealRisk.Storage;
using MassTransit;

namespace DealRisk.AllInOne.Tests;

/// <summary>Batch chunks run on threads of their own, off the thread pool, their writes marked as background ones.</summary>
public sealed class BatchLaneTests
{
    [Fact]
    public async Task A_chunk_runs_on_a_lane_thread_with_background_writes_also_after_an_await()
    {
        using var lane = new BatchLane();
        (string? Thread, bool Pool, bool Background) before = default, after = default;

        await new BatchLaneFilter(lane).Send(null!, Pipe.ExecuteAsync<ConsumeContext>(async _ =>
        {
            before = (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, WritePriority.IsBackground);
            await Task.Delay(10);
            after = (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, WritePriority.IsBackground);
        })).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("batch-lane-", before.Thread);
        Assert.StartsWith("batch-lane-", after.Thread);
        Assert.False(before.Pool || after.Pool);
        Assert.True(before.Background && after.Background);
    }

    [Fact]
    public async Task Work_outside_the_lane_stays_on_the_thread_pool_with_foreground_writes()
    {
        using var lane = new BatchLane();
        await lane.RunAsync(() => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));

        var (pool, background) = await Task.Run(() => (Thread.CurrentThread.IsThreadPoolThread, WritePriority.IsBackground));

        Assert.True(pool);
        Assert.False(background);
    }

    [Fact]
    public async Task A_lane_disposed_with_a_chunk_in_flight_lets_the_chunk_finish_on_the_thread_pool()
    {
        var lane = new BatchLane();
        var started = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? finishedOn = null;
        var chunk = lane.RunAsync(async () =>
        {
            started.SetResult(Thread.CurrentThread.Name);
            await resume.Task;
            finishedOn = Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name;
        });
        Assert.StartsWith("batch-lane-", await started.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        lane.Dispose();
        resume.SetResult();
        await chunk.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("pool", finishedOn);
    }
}
