using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Stops start-up with a clear message when <c>Bus__RabbitMq__VirtualHost</c> names a virtual host the broker does
/// not have: the bus would otherwise retry its connection forever and log only the broker's terse refusal.
/// An unreachable broker is left to the bus's own retries, as before.
/// </summary>
public sealed class RabbitMqVirtualHostCheck(IOptions<BusOptions> options) : IHostedService
{
    private const int NotAllowed = 530;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Transport != BusTransport.RabbitMq)
            return;
        if (await FindMissingVirtualHostAsync(options.Value.RabbitMq, cancellationToken) is { } problem)
            throw new InvalidOperationException(problem);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Null when the virtual host exists or the broker could not be asked; otherwise what is wrong and how to fix it.</summary>
    public static async Task<string?> FindMissingVirtualHostAsync(RabbitMqOptions rabbit, CancellationToken cancellationToken)
    {
        var factory = rabbit.ConnectionFactory();
        factory.AutomaticRecoveryEnabled = false;
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(10);
        try
        {
            // The broker may accept the connection and refuse the virtual host only when a channel opens.
            await using var connection = await factory.CreateConnectionAsync("dealrisk-virtual-host-check", cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return null;
        }
        catch (Exception e) when (RefusedVirtualHost(e))
        {
            return $"RabbitMQ at {rabbit.Host}:{rabbit.Port} has no virtual host '{rabbit.VirtualHost}' that user '{rabbit.Username}' may use " +
                   $"(Bus__RabbitMq__VirtualHost). Create it with `rabbitmqctl add_vhost {rabbit.VirtualHost}` and " +
                   $"`rabbitmqctl set_permissions -p {rabbit.VirtualHost} {rabbit.Username} \".*\" \".*\" \".*\"` " +
                   "(deploy/scripts/ensure-rabbitmq.sh does both when the variable is set), or leave it at '/'.";
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException)
        {
            return null;
        }
    }

    private static bool RefusedVirtualHost(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OperationInterruptedException { ShutdownReason.ReplyCode: NotAllowed })
                return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(RefusedVirtualHost))
                return true;
        }
        return false;
    }
}
