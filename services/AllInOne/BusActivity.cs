using System.Collections.Concurrent;
using MassTransit;

namespace DealRisk.AllInOne;

/// <summary>
/// Watches every message the embedded host receives, so a command can stop the host only once no consumer is
/// running and none has started for a while: on the in-memory bus, stopping earlier drops whatever is still queued.
/// </summary>
public sealed class BusActivity(TimeProvider time) : IReceiveObserver
{
    private readonly ConcurrentDictionary<ReceiveContext, byte> _inFlight = new();
    private long _lastActivityTicks = time.GetUtcNow().UtcTicks;

    public int InFlight => _inFlight.Count;

    /// <summary>Completes once nothing has been received or consumed for <paramref name="quiet"/>; false when that never happened within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        while (true)
        {
            var now = time.GetUtcNow();
            if (_inFlight.IsEmpty && now.UtcTicks - Interlocked.Read(ref _lastActivityTicks) >= quiet.Ticks)
                return true;
            if (now - started > timeout)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    public Task PreReceive(ReceiveContext context)
    {
        _inFlight.TryAdd(context, 0);
        Touch();
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context) => Done(context);

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Done(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class
    {
        Touch();
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        Touch();
        return Task.CompletedTask;
    }

    private Task Done(ReceiveContext context)
    {
        _inFlight.TryRemove(context, out _);
        Touch();
        return Task.CompletedTask;
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, time.GetUtcNow().UtcTicks);
}
