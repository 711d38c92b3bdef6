using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DealRisk.ServiceDefaults;

/// <summary>The receive endpoints a service no longer has: their queues would otherwise stay bound and fill up for ever.</summary>
public sealed record RetiredQueueNames(IReadOnlyList<string> Names);

/// <summary>
/// On RabbitMQ, deletes at start-up the queues (and the exchanges of the same name that MassTransit bound them through)
/// of consumers an earlier release had and this one retired, with whatever messages wait in them: nothing consumes those
/// any more. Their <c>_error</c> queues are left for an operator. A broker that cannot be reached is left to the next start.
/// </summary>
public sealed partial class RetiredQueues(IOptions<BusOptions> options, IEnumerable<RetiredQueueNames> retired, ILogger<RetiredQueues> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var names = retired.SelectMany(r => r.Names).Distinct(StringComparer.Ordinal).ToList();
        if (options.Value.Transport != BusTransport.RabbitMq || names.Count == 0)
            return;
        var factory = options.Value.RabbitMq.ConnectionFactory();
        factory.AutomaticRecoveryEnabled = false;
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(10);
        try
        {
            await using var connection = await factory.CreateConnectionAsync("dealrisk-retired-queues", cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            foreach (var name in names)
            {
                var dropped = await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
                await channel.ExchangeDeleteAsync(name, ifUnused: false, cancellationToken: cancellationToken);
                LogDeleted(name, dropped);
            }
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException)
        {
            LogNotDeleted(string.Join(", ", names), e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Deleted the retired queue '{Queue}' ({Messages} messages waited in it) and its exchange")]
    private partial void LogDeleted(string queue, uint messages);

    [LoggerMessage(LogLevel.Warning, "Could not delete the retired queues {Queues} ({Reason}); the next start tries again")]
    private partial void LogNotDeleted(string queues, string reason);
}

public static class RetiredQueuesExtensions
{
    /// <summary>Deletes these queues of retired consumers at start-up on RabbitMQ (nothing on the in-memory transport).</summary>
    public static IServiceCollection RetireQueues(this IServiceCollection services, params string[] queues)
    {
        services.AddSingleton(new RetiredQueueNames(queues));
        if (!services.Any(descriptor => descriptor.ImplementationType == typeof(RetiredQueues)))
            services.AddHostedService<RetiredQueues>();
        return services;
    }
}
