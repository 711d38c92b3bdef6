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

    private static IHost BuildHost(RabbitMqBroker broker, string virtualHost)
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
        builder.Services.AddDealRiskBus(builder.Configuration, bus =>
        {
            bus.AddConsumer<ErrorQueueProbeConsumer>().Endpoint(endpoint => endpoint.Name = "error-queue-probe");
            bus.AddConsumer<AlertCollector>().Endpoint(endpoint => endpoint.Name = "error-queue-test-alerts");
        });
        return builder.Build();
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
