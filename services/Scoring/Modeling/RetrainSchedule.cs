using DealRisk.Contracts;
using DealRisk.Scoring.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// The scheduled retrain, once per <see cref="ScoringOptions.RetrainEvery"/> however many scoring replicas tick: time is
/// cut into intervals, and only the replica that claims an interval in the shared store asks for the retrain.
/// </summary>
public sealed class RetrainSchedule(ScoreStore store, IBus bus, IOptions<ScoringOptions> options, ILogger<RetrainSchedule> logger)
{
    /// <returns>Whether this replica claimed the interval <paramref name="now"/> falls in and requested the retrain.</returns>
    public async Task<bool> RequestIfUnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var every = options.Value.RetrainEvery;
        var interval = new DateTimeOffset(now.UtcTicks - now.UtcTicks % every.Ticks, TimeSpan.Zero);
        var claimed = await store.TrainingClaims.InsertIfAbsentAsync($"scheduled-retrain:{interval:O}", new TrainingClaim { At = now }, cancellationToken);
        if (!claimed)
        {
            logger.LogInformation("Scheduled retrain for the interval from {Interval} was requested by another replica", interval);
            return false;
        }
        logger.LogInformation("Scheduled retrain requested");
        await bus.Publish(new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = "schedule", RequestedAt = now }, cancellationToken);
        return true;
    }
}
