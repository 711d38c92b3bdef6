using System.Security.Cryptography;
using System.Text;
using DealRisk.Contracts;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Raises an operator alert while one of this service's <c>_error</c> queues holds messages: they failed every retry and
/// wait for someone to look. Replicas of a service raise the same alert (same id each hour), so it is sent once an hour.
/// </summary>
public sealed partial class ErrorQueueWatch(
    ReceiveQueues queues,
    IBusControl bus,
    IOptions<BusOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<ErrorQueueWatch> logger) : BackgroundService
{
    public const string AlertKind = "error-queue";

    /// <summary>
    /// The first look comes as soon as the bus is up, while the service is still warming up: what waits in an error
    /// queue is reported at start-up, and the check's own first run (a connection, a channel per queue) is over before
    /// the service takes real traffic instead of landing in it a minute later.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ErrorQueueCheckInterval, time);
        await WaitForBusAsync(stoppingToken);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task WaitForBusAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.ErrorQueueCheckInterval);
        try
        {
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Still not connected after an interval: look anyway, and report why it failed if it does.
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var rabbit = options.Value.RabbitMq;
        var factory = rabbit.ConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        foreach (var queue in queues.Names)
        {
            var waiting = await MessagesInAsync(connection, queue + "_error", cancellationToken);
            if (waiting > 0)
                await RaiseAsync(queue, waiting, cancellationToken);
        }
    }

    private static async Task<uint> MessagesInAsync(IConnection connection, string errorQueue, CancellationToken cancellationToken)
    {
        // A passive declare of a queue that does not exist closes the channel, hence one channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private async Task RaiseAsync(string queue, uint waiting, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        LogErrorQueueNotEmpty(queue, waiting);
        await bus.Publish(new OperatorAlertRaised
        {
            CorrelationId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{queue}|{hour:O}")).AsSpan(0, 16)),
            Kind = AlertKind,
            Severity = "critical",
            Message = $"{waiting} message(s) in {queue}_error failed every retry. Find the cause in the logs, then move them back to {queue}.",
            Source = environment.ApplicationName,
            RaisedAt = hour,
        }, cancellationToken);
    }

    [LoggerMessage(LogLevel.Error, "{Messages} message(s) wait in {Queue}_error")]
    private partial void LogErrorQueueNotEmpty(string queue, uint messages);

    [LoggerMessage(LogLevel.Warning, "Could not look at the _error queues; trying again at the next check")]
    private partial void LogCheckFailed(Exception exception);
}
