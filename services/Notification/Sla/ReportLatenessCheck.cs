using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using MassTransit;
using DealRisk.ServiceDefaults;

namespace DealRisk.Notification.Sla;

/// <summary>
/// At the deadline: was the day's report written? If not (and ingestion did not already say the data is unavailable),
/// operators are alerted once for the day.
/// </summary>
public sealed class ReportLatenessCheck(NotificationStore store, IBus publish, TimeProvider time, ILogger<ReportLatenessCheck> logger)
{
    public async Task<bool> CheckAsync(DateOnly day, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var key = DailyRiskPoint.Key(day);
        if (await store.DailyHistory.GetAsync(key, cancellationToken) is not null)
            return false;
        if (await store.Claims.GetAsync($"data-unavailable:{key}", cancellationToken) is not null)
            return false;
        if (!await store.Claims.InsertIfAbsentAsync($"report-late:{key}", new Marker { At = time.GetUtcNow() }, cancellationToken))
            return false;

        logger.LogWarning("The report for {AsOf} was not out by {Due}", day, due);
        await publish.Publish(new OperatorAlertRaised
        {
            CorrelationId = Guid.NewGuid(),
            Kind = "report-late",
            Severity = "critical",
            Message = $"The daily deal-risk report for {key} was not delivered by its deadline ({due:yyyy-MM-dd HH:mm} UTC).",
            Source = NotificationServiceExtensions.ServiceName,
            RaisedAt = time.GetUtcNow(),
        }, cancellationToken);
        return true;
    }
}

/// <summary>
/// Sleeps until each day's deadline and runs the lateness check. Started after today's deadline (a restart at
/// 07:30), it checks today at once: the next deadline is tomorrow's, and waiting for it would skip today's alert.
/// </summary>
public sealed class ReportDeadlineWatch(IServiceProvider services, SlaOptions options, BusinessTimeZone business, TimeProvider time, ILogger<ReportDeadlineWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deadline = options.Deadline(business);
        var startedAt = time.GetUtcNow();
        var today = deadline.DayAt(startedAt);
        if (deadline.DueFor(today) <= startedAt && !await CheckAsync(today, deadline.DueFor(today), stoppingToken))
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = deadline.NextAfter(time.GetUtcNow());
            try
            {
                await Task.Delay(due - time.GetUtcNow(), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!await CheckAsync(deadline.DayAt(due), due, stoppingToken))
                return;
        }
    }

    /// <summary>False once the service is stopping.</summary>
    private async Task<bool> CheckAsync(DateOnly day, DateTimeOffset due, CancellationToken stoppingToken)
    {
        try
        {
            await services.GetRequiredService<ReportLatenessCheck>().CheckAsync(day, due, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The report deadline check failed");
            return true;
        }
    }
}
