using DealRisk.ServiceDefaults;
using Quartz;

namespace DealRisk.Ingestion.Sync;

/// <summary>The Quartz schedule of the morning sync, and the business day it runs for.</summary>
public static class DailySyncSchedule
{
    public static readonly JobKey JobKey = new("daily-sync", "ingestion");

    public static CronExpression Cron(SyncOptions options, BusinessTimeZone business) => new(options.Cron, business.Zone);
}

[DisallowConcurrentExecution]
public sealed class DailySyncJob(DailySync sync) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sync.RunAsync(cancellationToken);
}
