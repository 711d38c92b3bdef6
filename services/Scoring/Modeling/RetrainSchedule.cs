using DealRisk.Contracts;
using DealRisk.Scoring.Storage;
using MassTransit;
using Microsoft.Extensions.Options;
using DealRisk.ServiceDefaults;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// The scheduled retrain, once per <see cref="ScoringOptions.RetrainEvery"/> however many scoring replicas tick: time is
/// cut into intervals, and only the replica that claims an interval in the shared store asks for the retrain.
/// </summary>
public sealed class RetrainSchedule(ScoreStore store, IBus bus, IOptions<ScoringOptions> options, ILogger<RetrainSchedule> logger)
{
    /// <returns>Whether this replica claimed the interval <paramref name="now"/> falls in and requested the retrain.</returns>
    public Task<bool> RequestIfUnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        RequestIfUnclaimedAsync(now, options.Value.RetrainEvery, "schedule", cancellationToken);

    /// <returns>Whether this replica claimed the interval of length <paramref name="every"/> that <paramref name="now"/> falls in, for this reason, and requested the retrain.</returns>
    public async Task<bool> RequestIfUnclaimedAsync(DateTimeOffset now, TimeSpan every, string reason, CancellationToken cancellationToken)
    {
        var interval = new DateTimeOffset(now.UtcTicks - now.UtcTicks % every.Ticks, TimeSpan.Zero);
        var key = reason == "schedule" ? $"scheduled-retrain:{interval:O}" : $"{reason}:{interval:O}";
        var claimed = await store.TrainingClaims.InsertIfAbsentAsync(key, new TrainingClaim { At = now }, cancellationToken);
        if (!claimed)
        {
            logger.LogInformation("Retrain ({Reason}) for the interval from {Interval} was requested by another replica", reason, interval);
            return false;
        }
        logger.LogInformation("Retrain requested: {Reason}", reason);
        await bus.SendCommandAsync(new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = reason, RequestedAt = now }, cancellationToken);
        return true;
    }
}
