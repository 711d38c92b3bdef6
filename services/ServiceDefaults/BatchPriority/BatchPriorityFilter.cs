using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.ServiceDefaults.BatchPriority;

/// <summary>
/// Gives a batch endpoint's messages the lowest claim on the machine: their work runs on the batch lane
/// (<see cref="BatchLaneScheduler"/>), below real-time work on the CPU, and their writes let a waiting real-time write go
/// first (<see cref="WritePriority"/>). Continuations stay on the lane unless library code leaves it
/// (<c>ConfigureAwait(false)</c>), which only costs that part its lower priority.
/// </summary>
public sealed class BatchPriorityFilter(TaskScheduler lane) : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next) =>
        Task.Factory.StartNew(() =>
        {
            WritePriority.MarkBackground();
            return next.Send(context);
        }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, lane).Unwrap();

    public void Probe(ProbeContext context) => context.CreateFilterScope("batch-priority");
}

public static class BatchPriorityExtensions
{
    /// <summary>
    /// This endpoint carries batch work: it runs below real-time work and its writes give way to real-time ones. Its lane
    /// is the one the bus registered (at <see cref="BusOptions.BatchLaneNiceness"/>), else the process's at the default niceness.
    /// </summary>
    public static void UseBatchPriority(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseFilter(new BatchPriorityFilter(context.GetService<BatchLaneScheduler>() ?? BatchLaneScheduler.Shared(BatchLaneScheduler.DefaultNiceness)));
}
