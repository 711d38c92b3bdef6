using DealRisk.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>Requests a retrain every <see cref="ScoringOptions.RetrainEvery"/>; the first one only after a full interval, never at start-up.</summary>
public sealed class ScheduledRetrain(IServiceProvider services, IOptions<ScoringOptions> options, TimeProvider time, ILogger<ScheduledRetrain> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.RetrainEvery;
        if (every <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            logger.LogInformation("Scheduled retrain requested");
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(
                new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = "schedule", RequestedAt = time.GetUtcNow() }, stoppingToken);
        }
    }
}
