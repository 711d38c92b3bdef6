using System.Collections.Concurrent;
using DealRisk.Contracts;
using MassTransit;
using MassTransit.Testing;
using Xunit;

namespace DealRisk.Testing;

/// <summary>
/// Delivery on MassTransit's test harness that needs no timing: a message is published with a header of its own and
/// the call returns once the receive pipeline is done with it — consumed, and whatever the consumer published
/// (outbox included) already out. The harness's own waits give up for good after one idle gap, which made tests flaky.
/// </summary>
public sealed class HarnessDeliveries
{
    private const string DeliveryHeader = "X-Test-Delivery";

    /// <summary>A cancelled token: the harness's lists read as they stand, without waiting for more.</summary>
    public static readonly CancellationToken Now = new(canceled: true);

    private readonly ReceiveSignals _received = new();

    public HarnessDeliveries(ITestHarness harness)
    {
        Harness = harness;
        harness.Bus.ConnectReceiveObserver(_received);
    }

    public ITestHarness Harness { get; }

    public async Task DeliverAsync<T>(T message) where T : class
    {
        var delivery = Guid.NewGuid().ToString("N");
        var received = _received.WaitFor(delivery);
        await Harness.Bus.Publish(message, context => context.Headers.Set(DeliveryHeader, delivery));
        await received.WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>Waits until the system itself has published a matching message, however long the bus was idle before.</summary>
    public Task<T> PublishedAsync<T>(Func<T, bool> filter) where T : class =>
        PollAsync(() => Harness.Published.Select<T>(published => filter(published.Context.Message), Now).Select(published => published.Context.Message).FirstOrDefault());

    /// <summary>Waits until a consumer has finished with a matching message the system itself published.</summary>
    public Task<T> ConsumedAsync<T>(Func<T, bool> filter) where T : class =>
        PollAsync(() => Harness.Consumed.Select<T>(consumed => filter(consumed.Context.Message), Now).Select(consumed => consumed.Context.Message).FirstOrDefault());

    /// <summary>What has been published so far, without waiting for more.</summary>
    public IReadOnlyList<T> Published<T>(Func<T, bool>? filter = null) where T : class =>
        Harness.Published.Select<T>(published => filter is null || filter(published.Context.Message), Now)
            .Select(published => published.Context.Message)
            .ToList();

    /// <summary>The commands sent so far to the queue that handles them (<see cref="CommandQueues"/>), without waiting for more; a command sent anywhere else fails the test.</summary>
    public IReadOnlyList<T> Sent<T>(Func<T, bool>? filter = null) where T : class => SentCommands(Harness, filter);

    /// <inheritdoc cref="Sent{T}"/>
    public static IReadOnlyList<T> SentCommands<T>(ITestHarness harness, Func<T, bool>? filter = null) where T : class
    {
        var sent = harness.Sent.Select<T>(message => filter is null || filter(message.Context.Message), Now).ToList();
        var queue = CommandQueues.Of<T>();
        var misrouted = sent.Where(message => message.Context.DestinationAddress?.AbsolutePath.TrimEnd('/').EndsWith("/" + queue, StringComparison.Ordinal) != true).ToList();
        Assert.True(misrouted.Count == 0, $"{typeof(T).Name} sent to {string.Join(", ", misrouted.Select(message => message.Context.DestinationAddress))}, not to the queue '{queue}'");
        return sent.Select(message => message.Context.Message).ToList();
    }

    public void AssertNoFaults()
    {
        Assert.Empty(Harness.Published.Select<Fault>(Now));
        Assert.Empty(Harness.Consumed.Select(consumed => consumed.Exception is not null, Now));
    }

    private static async Task<T> PollAsync<T>(Func<T?> find) where T : class
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (find() is { } found)
                return found;
            if (waited.Elapsed > TimeSpan.FromMinutes(1))
                throw new TimeoutException($"No {typeof(T).Name} matched within a minute.");
            await Task.Delay(10);
        }
    }

    /// <summary>Completes a delivery when the receive pipeline has finished with the message that carries its header.</summary>
    private sealed class ReceiveSignals : IReceiveObserver
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _deliveries = new();

        public Task WaitFor(string delivery) => Source(delivery).Task;

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context) => Complete(context);

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
            Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Complete(context);

        private Task Complete(ReceiveContext context)
        {
            if (context.TransportHeaders.Get<string>(DeliveryHeader) is { } delivery)
                Source(delivery).TrySetResult();
            return Task.CompletedTask;
        }

        private TaskCompletionSource Source(string delivery) =>
            _deliveries.GetOrAdd(delivery, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
