using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.ServiceDefaults;

/// <summary>Sends a command to the one queue that handles it (<see cref="CommandQueues"/>), on any transport.</summary>
public static class CommandSending
{
    public static async Task SendCommandAsync<TCommand>(this ISendEndpointProvider endpoints, TCommand command, CancellationToken cancellationToken)
        where TCommand : class
    {
        var endpoint = await endpoints.GetSendEndpoint(new Uri($"queue:{CommandQueues.Of<TCommand>()}"));
        await endpoint.Send(command, cancellationToken);
    }
}
