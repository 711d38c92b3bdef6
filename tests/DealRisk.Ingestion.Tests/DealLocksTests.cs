using DealRisk.Ingestion.Webhooks;

namespace DealRisk.Ingestion.Tests;

public sealed class DealLocksTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Deliveries_of_different_deals_hold_their_locks_at_the_same_time()
    {
        var locks = new DealLocks();
        // 256 stripes put two deliveries of 100 deals on a shared stripe almost always; exact keys never do.
        using var first = await locks.AcquireManyAsync(Enumerable.Range(0, 100).Select(i => $"hubspot:{i}"), CancellationToken.None);

        var second = locks.AcquireManyAsync(Enumerable.Range(100, 100).Select(i => $"hubspot:{i}"), CancellationToken.None);

        using var held = await second.WaitAsync(Wait);
        Assert.Equal(200, locks.Count);
    }

    [Fact]
    public async Task A_delivery_touching_a_held_deal_waits_until_it_is_released_and_nothing_stays_behind()
    {
        var locks = new DealLocks();
        var first = await locks.AcquireManyAsync(["hubspot:1", "hubspot:2"], CancellationToken.None);

        var second = locks.AcquireManyAsync(["hubspot:3", "hubspot:2"], CancellationToken.None);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(Wait)).Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_wait_that_is_cancelled_leaves_the_lock_to_its_holder_and_frees_its_place()
    {
        var locks = new DealLocks();
        var held = await locks.AcquireAsync("hubspot:1", CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.AcquireManyAsync(["hubspot:0", "hubspot:1"], cancel.Token));

        Assert.Equal(1, locks.Count);
        held.Dispose();
        Assert.Equal(0, locks.Count);
        (await locks.AcquireAsync("hubspot:1", CancellationToken.None).WaitAsync(Wait)).Dispose();
    }
}
