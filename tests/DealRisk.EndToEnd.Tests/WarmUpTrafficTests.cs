using System.Globalization;
using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using MassTransit;

namespace DealRisk.EndToEnd.Tests;

/// <summary>
/// Before it reports ready, a service on RabbitMQ sends its real-time message types through a scratch endpoint of its
/// own and runs their hot paths on them; nothing of it reaches the exchanges other services listen on, and the scratch
/// queue is gone once the service is ready.
/// </summary>
public sealed class WarmUpTrafficTests
{
    [Fact]
    public async Task The_feature_service_reports_ready_after_its_warm_up_traffic_which_no_other_queue_sees_and_which_leaves_no_queue_behind()
    {
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var virtualHost = await broker.CreateVirtualHostAsync();
        var directory = Directory.CreateTempSubdirectory("dealrisk-warm-up-");
        var observed = 0;
        var observer = await broker.StartObserverBusAsync(virtualHost, "warm-up-observer", endpoint =>
        {
            endpoint.Handler<DealChanged>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
            endpoint.Handler<DealSynced>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
            endpoint.Handler<FeaturesComputed>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
        });
        try
        {
            using var features = ServiceProcess.Start("Features", RepositoryLayout.ServiceDll("Features"), directory.FullName, new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = Path.Combine(directory.FullName, "data"),
                ["Bus__Transport"] = "RabbitMq",
                ["Bus__WarmUpMessages"] = "16",
                ["Bus__RabbitMq__Host"] = broker.Host,
                ["Bus__RabbitMq__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Bus__RabbitMq__VirtualHost"] = virtualHost,
                ["Bus__RabbitMq__Username"] = broker.Username,
                ["Bus__RabbitMq__Password"] = broker.Password,
            });

            await features.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));

            // Three types (DealChanged with the featurizing hot path, DealSynced, FeaturesComputed), 16 each, two rounds.
            Assert.Contains("96 warm-up messages handled", features.Describe());
            Assert.DoesNotContain("warm-up messages failed", features.Describe());
            var queues = await broker.QueueNamesAsync(virtualHost);
            Assert.Contains(queues, queue => queue.StartsWith("recompute-deal-features", StringComparison.Ordinal));
            Assert.DoesNotContain(queues, queue => queue.StartsWith("warm-up-", StringComparison.Ordinal) && !queue.StartsWith("warm-up-observer", StringComparison.Ordinal));
            Assert.DoesNotContain(queues, queue => queue.EndsWith("_error", StringComparison.Ordinal));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(0, Volatile.Read(ref observed));

            // The observer does see what is published on those exchanges.
            await observer.Publish(WarmUpSamples.DealSynced(0));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref observed) == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Equal(1, Volatile.Read(ref observed));
        }
        finally
        {
            await observer.StopAsync();
            await broker.DeleteVirtualHostAsync(virtualHost);
            directory.Delete(recursive: true);
        }
    }
}
