using DealRisk.ServiceDefaults.BatchPriority;
using DealRisk.Storage;
using DealRisk.Testing;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DealRisk.AllInOne.Tests;

/// <summary>
/// A batch chunk is handled on the batch lane, below normal priority, with background writes, for the whole of its
/// handling; the caller's flow keeps its priority and its foreground writes.
/// </summary>
public sealed class BatchPriorityTests
{
    private static readonly BatchLaneScheduler Lane = new(threadCount: 2);

    [Fact]
    public async Task A_chunk_is_handled_on_the_lane_below_normal_priority_with_background_writes_also_after_an_await()
    {
        var seen = new List<(string? Thread, int Nice, int Policy, bool Background)>();

        await new BatchPriorityFilter(Lane).Send(null!, Pipe.ExecuteAsync<ConsumeContext>(async _ =>
        {
            seen.Add(Observe());
            await Task.Delay(10);
            seen.Add(Observe());
            await Task.Yield();
            seen.Add(Observe());
        })).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(seen, step =>
        {
            Assert.StartsWith("batch-lane-", step.Thread);
            Assert.True(step.Background);
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(BatchLaneScheduler.DefaultNiceness, step.Nice);
                // Nice 19 keeps the batch moving on a busy machine; the idle policy starved it there.
                Assert.Equal(SchedOther, step.Policy);
            }
        });
        Assert.Equal(3, seen.Count);
        Assert.True(Lane.Lowered);
        Assert.False(WritePriority.IsBackground);
        Assert.False(await Task.Run(() => WritePriority.IsBackground));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(0, await Task.Run(CurrentNice));
            Assert.Equal(SchedOther, await Task.Run(CurrentPolicy));
        }
    }

    [Fact]
    public async Task A_lane_given_another_niceness_handles_its_chunks_at_that_niceness()
    {
        var lane = new BatchLaneScheduler(threadCount: 1, niceness: 10);
        var nice = -1;

        await new BatchPriorityFilter(lane).Send(null!, Pipe.ExecuteAsync<ConsumeContext>(async _ =>
        {
            await Task.Yield();
            nice = CurrentNice();
        })).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(10, lane.Niceness);
        Assert.True(lane.Lowered);
        if (OperatingSystem.IsLinux())
            Assert.Equal(10, nice);
    }

    [Fact]
    public void A_process_has_one_lane_and_refuses_a_service_that_asks_for_another_niceness()
    {
        var lane = BatchLaneScheduler.Shared(BatchLaneScheduler.DefaultNiceness);

        Assert.Same(lane, BatchLaneScheduler.Shared(BatchLaneScheduler.DefaultNiceness));
        var refused = Assert.Throws<InvalidOperationException>(() => BatchLaneScheduler.Shared(10));
        Assert.Contains("Bus__BatchLaneNiceness", refused.Message);
    }

    [Fact]
    public async Task A_batch_lane_niceness_outside_0_to_19_stops_start_up_naming_the_setting()
    {
        using var directory = new TempDirectory();
        using var host = EmbeddedHost.BuildJobHost([], EmbeddedRun.Settings(directory.Path, new Dictionary<string, string?> { ["Bus:BatchLaneNiceness"] = "25" }));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("BatchLaneNiceness", failure.Message);
    }

    [Fact]
    public async Task A_failing_chunk_fails_its_caller_with_its_own_exception()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new BatchPriorityFilter(Lane).Send(null!, Pipe.ExecuteAsync<ConsumeContext>(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("chunk 7 is malformed");
            })).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("chunk 7 is malformed", failure.Message);
    }

    [Fact]
    public async Task A_lane_the_operating_system_refused_to_lower_is_reported_to_the_operator_at_start_up()
    {
        var refused = new BatchLaneScheduler(threadCount: 2, lowerCurrentThread: () => false);
        var telemetry = new CapturedTelemetry();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(telemetry));

        await new BatchLaneCheck(Lane, logging.CreateLogger<BatchLaneCheck>()).StartAsync(CancellationToken.None);
        Assert.Empty(telemetry.Logs);

        await new BatchLaneCheck(refused, logging.CreateLogger<BatchLaneCheck>()).StartAsync(CancellationToken.None);
        Assert.False(refused.Lowered);
        var warning = Assert.Single(telemetry.Logs);
        Assert.StartsWith("Warning", warning);
        Assert.Contains("refused to lower the batch lane's threads", warning);
    }

    private const int SchedOther = 0;

    private static (string?, int, int, bool) Observe() => (Thread.CurrentThread.Name, CurrentNice(), CurrentPolicy(), WritePriority.IsBackground);

    /// <summary>The calling thread's nice value, field 19 of <c>/proc/thread-self/stat</c>.</summary>
    private static int CurrentNice() => StatField(19);

    /// <summary>The calling thread's scheduling policy, field 41 of <c>/proc/thread-self/stat</c>.</summary>
    private static int CurrentPolicy() => StatField(41);

    /// <summary>A numeric field of <c>/proc/thread-self/stat</c>, counted from 1 as proc(5) does; 0 off Linux.</summary>
    private static int StatField(int number)
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        var stat = File.ReadAllText("/proc/thread-self/stat");
        // Fields from the third on follow the parenthesised name, which may itself hold spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[number - 3]);
    }
}
