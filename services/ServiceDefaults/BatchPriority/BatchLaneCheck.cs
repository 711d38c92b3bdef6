using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults.BatchPriority;

/// <summary>Tells the operator at start-up when the batch lane could not be lowered, so a running batch competes with real-time work as an equal.</summary>
public sealed class BatchLaneCheck(BatchLaneScheduler lane, ILogger<BatchLaneCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!lane.Lowered)
            logger.LogWarning("The operating system refused to lower the batch lane's threads (nice {Niceness}): batch chunks run at normal priority, and single-deal rescores may wait behind them while a batch runs",
                lane.Niceness);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
