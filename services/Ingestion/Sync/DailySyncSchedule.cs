using DealRisk.ServiceDefaults;
using Quartz;

namespace DealRisk.Ingestion.Sync;

/// <summary>The Quartz schedule of the morning sync, and the business day it runs for.</summary>
public static class DailySyncSchedule
{
    public static readonly JobKey JobKey = new("daily-sync", "ingestion");

    public static TimeZoneInfo Zone(SyncOptions options) => TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);

    public static CronExpression Cron(SyncOptions options) => new(options.Cron, Zone(options));

    /// <summary>Today in the schedule's time zone: the day the report is for.</summary>
    public static DateOnly Today(DateTimeOffset now, SyncOptions options) => BusinessCalendar.DayAt(now, Zone(options));
}

[DisallowConcurrentExecution]
public sealed class DailySyncJob(DailySync sync) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sync.RunAsync(cancellationToken);
}
