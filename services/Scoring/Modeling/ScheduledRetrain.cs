using DealRisk.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Requests a retrain every <see cref="ScoringOptions.RetrainEvery"/>, and checks every <see cref="ScoringOptions.AutoTrainCheckEvery"/>
/// whether the engine should train by itself (<see cref="AutoTraining"/>); the first of each only after a full interval, never at start-up.
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
            if (!await due(stoppingToken)) continue;
            logger.LogInformation("Retrain requested: {Reason}", reason);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(
                new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = reason, RequestedAt = time.GetUtcNow() }, stoppingToken);
        }
    }
}
