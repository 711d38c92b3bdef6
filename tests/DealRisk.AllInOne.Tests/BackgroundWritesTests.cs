using DealRisk.ServiceDefaults;
using DealRisk.Storage;
using MassTransit;

namespace DealRisk.AllInOne.Tests;

/// <summary>A batch chunk's writes are marked background for the whole of its handling, and nothing else's are.</summary>
public sealed class BackgroundWritesTests
{
    [Fact]
    public async Task A_chunks_writes_are_background_also_after_an_await_and_the_caller_keeps_foreground_writes()
    {
        bool before = false, after = false;

        await new BackgroundWritesFilter().Send(null!, Pipe.ExecuteAsync<ConsumeContext>(async _ =>
        {
            before = WritePriority.IsBackground;
            await Task.Delay(10);
            after = WritePriority.IsBackground;
        })).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(before && after);
        Assert.False(WritePriority.IsBackground);
        Assert.False(await Task.Run(() => WritePriority.IsBackground));
    }
}
