using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using MassTransit;

namespace DealRisk.Notification.Sla;

/// <summary>
/// A batch whose manifest arrived <see cref="SlaOptions.BatchStallAfter"/> ago without every scored chunk (a chunk
/// lost or parked in an <c>_error</c> queue) raises one operator alert naming what is missing, on one replica.
/// </summary>
public sealed class StalledBatchCheck(NotificationStore store, IBus publish, SlaOptions options, TimeProvider time, ILogger<StalledBatchCheck> logger)
{
    public const string AlertKind = "batch-stalled";

    /// <returns>How many stalled batches were reported now.</returns>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reported = 0;
        await foreach (var batch in store.Batches.ScanAsync(cancellationToken))
        {
            if (now - batch.SyncedAt < options.BatchStallAfter)
                continue;
            var id = batch.BatchId.ToString("N");
            if (await store.Reports.GetAsync(id, cancellationToken) is not null)
                continue;
            var chunks = await store.ScoredChunks.CountAsync(batch.BatchId, cancellationToken);
            if (chunks >= batch.OpenChunkCount)
                continue;
            if (!await store.Claims.InsertIfAbsentAsync($"{AlertKind}:{id}", new Marker { At = now }, cancellationToken))
                continue;

            logger.LogWarning("Batch {BatchId} for {AsOf} has {Chunks} of {Expected} scored chunks after {Age}", batch.BatchId, batch.AsOf, chunks, batch.OpenChunkCount, now - batch.SyncedAt);
            await publish.Publish(new OperatorAlertRaised
            {
                CorrelationId = batch.BatchId,
                Kind = AlertKind,
                Severity = "critical",
                Message = $"The batch for {batch.AsOf:yyyy-MM-dd} ({batch.BatchId:N}) has {chunks} of {batch.OpenChunkCount} scored chunks " +
                    $"{(now - batch.SyncedAt).TotalMinutes:0} minutes after its manifest: look at the _error queues, move their messages back, or run the batch again.",
                Source = NotificationServiceExtensions.ServiceName,
                RaisedAt = now,
            }, cancellationToken);
            reported++;
        }
        return reported;
    }
}

/// <summary>Runs the <see cref="StalledBatchCheck"/> every minute.</summary>
public sealed class StalledBatchWatch(IServiceProvider services, ILogger<StalledBatchWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await services.GetRequiredService<StalledBatchCheck>().CheckAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Looking for stalled batches failed; the next check tries again");
            }
        }
    }
}
