using DealRisk.Storage;
using MassTransit;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Marks the writes of each message of an endpoint as background ones (<see cref="WritePriority"/>): the daily batch's
/// chunks, whose writes let a waiting real-time write go first.
/// </summary>
public sealed class BackgroundWritesFilter : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        WritePriority.MarkBackground();
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("background-writes");
}

public static class BackgroundWritesExtensions
{
    /// <summary>This endpoint carries batch chunks: their writes give way to real-time ones (<see cref="WritePriority"/>).</summary>
    public static void UseBackgroundWrites(this IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseFilter(new BackgroundWritesFilter());
}
