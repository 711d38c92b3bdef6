using System.Text;
using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace DealRisk.EndToEnd.Tests;

/// <summary>What a replica does about failures on a RabbitMQ without the delayed-exchange plugin.</summary>
public sealed class StockBrokerFailureTests
{
    [Fact]
    public void Without_delayed_redelivery_a_message_is_retried_for_longer_than_a_five_minute_outage()
    {
        var retries = new BusOptions().RetriesWithoutDelayedRedelivery();

        Assert.True(retries.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) > TimeSpan.FromMinutes(5));
        Assert.All(retries, wait => Assert.True(wait <= TimeSpan.FromMinutes(1), $"A single wait of {wait} would hold a recovered replica back."));
    }

    [Fact]
    public void Configured_held_retry_intervals_replace_the_defaults_rather_than_follow_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:HeldRetryIntervals:0"] = "00:00:01",
            ["Bus:HeldRetryIntervals:1"] = "00:00:02",
            ["Bus:RetryIntervals:0"] = "00:00:00.050",
        }).Build();

        var options = configuration.GetSection(BusOptions.SectionName).Get<BusOptions>()!;

        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], options.RetriesWithoutDelayedRedelivery());
        Assert.Equal(new BusOptions().DelayedRedeliveries(), options.DelayedRedeliveries());
    }

    [Fact]
    public async Task A_message_waiting_in_an_error_queue_raises_an_operator_alert()
    {
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var virtualHost = await broker.CreateVirtualHostAsync();
        try
        {
            using var host = BuildHost(broker, virtualHost);
            await host.StartAsync();
            await ParkInErrorQueueAsync(broker, virtualHost, "error-queue-probe_error");

            var alert = await AlertCollector.Raised.Task.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(ErrorQueueWatch.AlertKind, alert.Kind);
            Assert.Equal("critical", alert.Severity);
            Assert.Contains("1 message(s) in error-queue-probe_error", alert.Message);
            await host.StopAsync();
        }
        finally
        {
            await broker.DeleteVirtualHostAsync(virtualHost);
        }
    }

    [Fact]
    public async Task A_message_failing_for_longer_than_the_immediate_retries_is_held_and_retried_until_it_goes_through_with_nothing_in_error()
    {
        var immediate = new BusOptions().ImmediateRetries();
        var outage = new Outage(immediate.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) + TimeSpan.FromSeconds(5));
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var virtualHost = await broker.CreateVirtualHostAsync();
        try
        {
            using var host = BuildHost(broker, virtualHost, new Dictionary<string, string?>
            {
                // As Bus__HeldRetryIntervals__N would set them: short, so the test takes seconds rather than minutes.
                ["Bus:HeldRetryIntervals:0"] = "00:00:01",
                ["Bus:HeldRetryIntervals:1"] = "00:00:02",
                ["Bus:HeldRetryIntervals:2"] = "00:00:04",
                ["Bus:HeldRetryIntervals:3"] = "00:00:08",
            }, outage);
            await host.StartAsync();

            // Sent to the queue rather than published: the queue holds it even if the endpoint is not bound yet.
            var queue = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:outage-probe"));
            await queue.Send(new OutageProbe { Text = "held" });
            var consumedAt = await outage.Succeeded.Task.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(outage.FailedAttempts > immediate.Length + 1,
                $"The message failed {outage.FailedAttempts} times: the outage never outlasted the {immediate.Length} immediate retries.");
            Assert.True(consumedAt >= outage.EndsAt, "The message went through before the outage was over.");
            Assert.Equal(0u, await MessagesInAsync(broker, virtualHost, "outage-probe_error"));
            await host.StopAsync();
        }
        finally
        {
            await broker.DeleteVirtualHostAsync(virtualHost);
        }
    }

    private static IHost BuildHost(RabbitMqBroker broker, string virtualHost, IReadOnlyDictionary<string, string?>? settings = null, Outage? outage = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "error-queue-test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Host"] = broker.Host,
            ["Bus:RabbitMq:Port"] = broker.Port.ToString(),
            ["Bus:RabbitMq:VirtualHost"] = virtualHost,
            ["Bus:RabbitMq:Username"] = broker.Username,
            ["Bus:RabbitMq:Password"] = broker.Password,
            ["Bus:ErrorQueueCheckInterval"] = "00:00:01",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton(outage ?? new Outage(TimeSpan.Zero));
        builder.Services.AddDealRiskBus(builder.Configuration, bus =>
        {
            bus.AddConsumer<ErrorQueueProbeConsumer>().Endpoint(endpoint => endpoint.Name = "error-queue-probe");
            bus.AddConsumer<AlertCollector>().Endpoint(endpoint => endpoint.Name = "error-queue-test-alerts");
            bus.AddConsumer<OutageProbeConsumer>().Endpoint(endpoint => endpoint.Name = "outage-probe");
        });
        return builder.Build();
    }

    /// <summary>Messages waiting in a queue; a queue that was never declared holds none.</summary>
    private static async Task<uint> MessagesInAsync(RabbitMqBroker broker, string virtualHost, string queue)
    {
        var factory = new ConnectionFactory { HostName = broker.Host, Port = broker.Port, VirtualHost = virtualHost, UserName = broker.Username, Password = broker.Password };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private static async Task ParkInErrorQueueAsync(RabbitMqBroker broker, string virtualHost, string errorQueue)
    {
        var factory = new ConnectionFactory { HostName = broker.Host, Port = broker.Port, VirtualHost = virtualHost, UserName = broker.Username, Password = broker.Password };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false);
        await channel.BasicPublishAsync("", errorQueue, Encoding.UTF8.GetBytes("{\"message\":{}}"));
    }
}

public sealed record ErrorQueueProbe
{
    public required string Text { get; init; }
}

public sealed class ErrorQueueProbeConsumer : IConsumer<ErrorQueueProbe>
{
    public Task Consume(ConsumeContext<ErrorQueueProbe> context) => Task.CompletedTask;
}

public sealed class AlertCollector : IConsumer<OperatorAlertRaised>
{
    public static readonly TaskCompletionSource<OperatorAlertRaised> Raised = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Consume(ConsumeContext<OperatorAlertRaised> context)
    {
        Raised.TrySetResult(context.Message);
        return Task.CompletedTask;
    }
}

public sealed record OutageProbe
{
    public required string Text { get; init; }
}

/// <summary>A store or broker that is down for a while from the first attempt on: every attempt in that time fails.</summary>
public sealed class Outage(TimeSpan length)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _endsAt;
    private int _failedAttempts;

    public TaskCompletionSource<DateTimeOffset> Succeeded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DateTimeOffset EndsAt => _endsAt ?? DateTimeOffset.MaxValue;

    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    public void Attempt()
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
            _endsAt ??= now + length;
        if (now < _endsAt)
        {
            Interlocked.Increment(ref _failedAttempts);
            throw new TimeoutException($"Storage unavailable until {_endsAt:HH:mm:ss.fff}.");
        }
        Succeeded.TrySetResult(now);
    }
}

public sealed class OutageProbeConsumer(Outage outage) : IConsumer<OutageProbe>
{
    public Task Consume(ConsumeContext<OutageProbe> context)
    {
        outage.Attempt();
        return Task.CompletedTask;
    }
}
