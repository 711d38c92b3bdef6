using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Requests a retrain every <see cref="ScoringOptions.RetrainEvery"/>, and checks every <see cref="ScoringOptions.AutoTrainCheckEvery"/>
/// whether the engine should train by itself (<see cref="AutoTraining"/>); the first of each only after a full interval, never at
/// start-up. Every replica ticks; <see cref="RetrainSchedule"/> lets one of them per interval send the request.
/// </summary>
public sealed class ScheduledRetrain(IServiceProvider services, AutoTraining autoTraining, IOptions<ScoringOptions> options, TimeProvider time, ILogger<ScheduledRetrain> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            EveryAsync(options.Value.RetrainEvery, "schedule", _ => Task.FromResult(true), stoppingToken),
            EveryAsync(options.Value.AutoTrainCheckEvery, AutoTraining.Reason, autoTraining.DueAsync, stoppingToken));

    private async Task EveryAsync(TimeSpan every, string reason, Func<CancellationToken, Task<bool>> due, CancellationToken stoppingToken)
    {
        if (every <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await due(stoppingToken))
                    await services.GetRequiredService<RetrainSchedule>().RequestIfUnclaimedAsync(time.GetUtcNow(), every, reason, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "The {Reason} retrain could not be requested; the next interval tries again", reason);
            }
        }
    }
}
