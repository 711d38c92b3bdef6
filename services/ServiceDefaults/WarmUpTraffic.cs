using System.Collections.Concurrent;
using MassTransit;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Messages of one real-time type sent through the bus to a scratch endpoint while the service warms up, so the
/// transport, the serializer, the receive pipeline and the service's own hot path for that type are compiled and tiered
/// up before the first real message instead of on it. They are sent to that endpoint only, never published, and the hot
/// path given here must read what it needs and change nothing. Each is answered with an echo sent back to the scratch
/// endpoint through the in-memory outbox, as a real consumer's publish is: the outbox's delivery after the consumer and
/// every filter's await suspended on a broker confirm are compiled then too, not by the first real rescores.
/// </summary>
public interface IWarmUpTraffic
{
    void ConnectTo(IReceiveEndpointConfigurator endpoint, IServiceProvider services, WarmUpTally tally);

    Task SendAsync(ISendEndpoint scratch, int index, CancellationToken cancellationToken);
}

public sealed class WarmUpTraffic<T>(Func<int, T> sample, Func<IServiceProvider, T, CancellationToken, Task>? hotPath = null) : IWarmUpTraffic
    where T : class
{
    public void ConnectTo(IReceiveEndpointConfigurator endpoint, IServiceProvider services, WarmUpTally tally) =>
        endpoint.Consumer(() => new ScratchConsumer(services, hotPath, tally));

    public Task SendAsync(ISendEndpoint scratch, int index, CancellationToken cancellationToken) => scratch.Send(sample(index), cancellationToken);

    /// <summary>Never faults: a scratch message retried or moved to an error queue would outlive the warm-up.</summary>
    private sealed class ScratchConsumer(IServiceProvider services, Func<IServiceProvider, T, CancellationToken, Task>? hotPath, WarmUpTally tally)
        : IConsumer<T>
    {
        public async Task Consume(ConsumeContext<T> context)
        {
            if (context.Headers.Get<bool>(WarmUpTally.EchoHeader) == true)
            {
                tally.Handled();
                return;
            }
            try
            {
                if (hotPath is not null)
                    await hotPath(services, context.Message, context.CancellationToken);
            }
            catch (Exception e)
            {
                tally.Failed(e);
            }
            finally
            {
                tally.Handled();
            }
            await EchoAsync(context);
        }

        private async Task EchoAsync(ConsumeContext<T> context)
        {
            try
            {
                await context.Send(context.ReceiveContext.InputAddress, context.Message, send => send.Headers.Set(WarmUpTally.EchoHeader, true));
            }
            catch (Exception e)
            {
                // The echo will never arrive: count it as handled, or the warm-up would wait for it until its limit.
                tally.Failed(e);
                tally.Handled();
            }
        }
    }
}

/// <summary>What the scratch endpoint handled (each message and its echo), and the hot paths' failures to report.</summary>
public sealed class WarmUpTally : IDisposable
{
    /// <summary>Marks a warm-up message's echo, which is counted and not answered again.</summary>
    public const string EchoHeader = "DealRisk-WarmUp-Echo";

    /// <summary>What the scratch endpoint takes in for every message sent to it: the message, then its echo.</summary>
    public const int HandledPerMessage = 2;

    private readonly SemaphoreSlim _handled = new(0);
    private readonly ConcurrentQueue<Exception> _failures = new();

    public IReadOnlyCollection<Exception> Failures => _failures;

    public void Handled() => _handled.Release();

    public void Failed(Exception failure) => _failures.Enqueue(failure);

    public async Task WaitForAsync(int messages, CancellationToken cancellationToken)
    {
        for (var i = 0; i < messages; i++)
            await _handled.WaitAsync(cancellationToken);
    }

    public void Dispose() => _handled.Dispose();
}
