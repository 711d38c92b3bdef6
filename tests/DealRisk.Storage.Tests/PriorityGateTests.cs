namespace DealRisk.Storage.Tests;

/// <summary>The embedded store's writer gate: real-time writes waiting go before the batch's.</summary>
public sealed class PriorityGateTests
{
    [Fact]
    public async Task A_waiting_foreground_write_goes_before_background_writes_that_waited_longer()
    {
        var gate = new PriorityGate();
        await gate.WaitAsync(CancellationToken.None);
        var order = new List<string>();
        var background = Enumerable.Range(1, 2).Select(i => EnterAsync(gate, order, $"background-{i}", background: true)).ToList();
        await Task.Delay(50);
        var foreground = EnterAsync(gate, order, "foreground", background: false);
        await Task.Delay(50);

        gate.Release();
        await Task.WhenAll([.. background, foreground]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["foreground", "background-1", "background-2"], order);
    }

    [Fact]
    public async Task Without_foreground_writes_waiting_background_ones_enter_in_the_order_they_came()
    {
        var gate = new PriorityGate();
        await gate.WaitAsync(CancellationToken.None);
        var order = new List<string>();
        var waiting = new List<Task>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            waiting.Add(EnterAsync(gate, order, name, background: true));
            await Task.Delay(20);
        }

        gate.Release();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "second", "third"], order);
    }

    [Fact]
    public async Task A_cancelled_waiter_is_passed_over_and_the_gate_still_opens_for_the_next()
    {
        var gate = new PriorityGate();
        await gate.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(cancel.Token);
        var order = new List<string>();
        var next = EnterAsync(gate, order, "next", background: false);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Release();
        await next.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["next"], order);
        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task EnterAsync(PriorityGate gate, List<string> order, string name, bool background)
    {
        if (background)
            WritePriority.MarkBackground();
        await gate.WaitAsync(CancellationToken.None);
        lock (order)
            order.Add(name);
        await Task.Yield();
        gate.Release();
    }
}
