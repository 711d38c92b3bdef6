using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DealRisk.EndToEnd.Tests;

/// <summary>A consumer retired by an upgrade leaves no queue behind that would keep filling up with the messages it was bound to.</summary>
public sealed class RetiredQueuesTests
{
    /// <summary>Ingestion's <c>RetiredConsumerQueues</c>: the queue that fed its old copy of the latest scores from <c>DealScored</c>.</summary>
    private const string Retired = "record-deal-scores";
    private const string DealScoredExchange = "DealRisk.Contracts:DealScored";

    [Fact]
    public async Task A_retired_queue_and_its_exchange_are_deleted_at_start_up_with_the_messages_waiting_and_a_second_start_is_harmless()
    {
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var virtualHost = await broker.CreateVirtualHostAsync();
        try
        {
            var rabbit = new RabbitMqOptions { Host = broker.Host, Port = broker.Port, VirtualHost = virtualHost, Username = broker.Username, Password = broker.Password };
            await using var connection = await rabbit.ConnectionFactory().CreateConnectionAsync();
            await using (var setUp = await connection.CreateChannelAsync())
            {
                // As MassTransit bound the retired consumer: message exchange → endpoint exchange → queue.
                await setUp.ExchangeDeclareAsync(DealScoredExchange, ExchangeType.Fanout, durable: true);
                await setUp.ExchangeDeclareAsync(Retired, ExchangeType.Fanout, durable: true);
                await setUp.ExchangeBindAsync(Retired, DealScoredExchange, "");
                await setUp.QueueDeclareAsync(Retired, durable: true, exclusive: false, autoDelete: false);
                await setUp.QueueBindAsync(Retired, Retired, "");
                await setUp.BasicPublishAsync(DealScoredExchange, "", "{}"u8.ToArray());
            }
            var retired = new RetiredQueues(
                Options.Create(new BusOptions { Transport = BusTransport.RabbitMq, RabbitMq = rabbit }),
                [new RetiredQueueNames([Retired])],
                NullLogger<RetiredQueues>.Instance);

            await retired.StartAsync(CancellationToken.None);
            await retired.StartAsync(CancellationToken.None);

            await using (var queueCheck = await connection.CreateChannelAsync())
                Assert.Equal(404, (int?)(await Assert.ThrowsAsync<OperationInterruptedException>(() => queueCheck.QueueDeclarePassiveAsync(Retired))).ShutdownReason?.ReplyCode);
            await using (var exchangeCheck = await connection.CreateChannelAsync())
                Assert.Equal(404, (int?)(await Assert.ThrowsAsync<OperationInterruptedException>(() => exchangeCheck.ExchangeDeclarePassiveAsync(Retired))).ShutdownReason?.ReplyCode);
            await using var kept = await connection.CreateChannelAsync();
            await kept.ExchangeDeclarePassiveAsync(DealScoredExchange);
        }
        finally
        {
            await broker.DeleteVirtualHostAsync(virtualHost);
        }
    }
}
