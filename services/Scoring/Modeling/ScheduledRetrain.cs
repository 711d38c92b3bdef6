using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Requests a retrain every <see cref="ScoringOptions.RetrainEvery"/>; the first one only after a full interval, never at
/// start-up. Every replica ticks; <see cref="RetrainSchedule"/> lets one of them per interval send the request.
/// </summary>
public sealed class ScheduledRetrain(IServiceProvider services, IOptions<ScoringOptions> options, TimeProvider time, ILogger<ScheduledRetrain> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.RetrainEvery;
        if (every <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await services.GetRequiredService<RetrainSchedule>().RequestIfUnclaimedAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "The scheduled retrain could not be requested; the next interval tries again");
            }
        }
    }
}
