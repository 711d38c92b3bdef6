using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Alerts;

/// <summary>
/// A rescored deal that turns CRITICAL gets one alert; while it stays critical, rescoring it alerts no one again, and a
/// deal scored on its closing change alerts no one.
/// The alert is queued before the deal's latest risk is stored, with an id of the deal's version: a crash in between
/// queues the same message again on redelivery, which the outbox ignores.
/// </summary>
public sealed class CriticalDealEscalation(NotificationStore store, NotificationOutbox outbox, TimeProvider time)
{
    public async Task<IReadOnlyList<RiskAlertRaised>> TrackAsync(DealScored scored, CancellationToken cancellationToken)
    {
        var raised = new List<RiskAlertRaised>();
        foreach (var score in scored.Scores)
        {
            var dealId = DealKey.Of(score.Deal);
            var previous = await store.LatestRisk.GetAsync(dealId, cancellationToken);
            if (previous is not null && previous.Score.Deal.Version >= score.Deal.Version)
                continue;
            if (score.Level == RiskLevels.Critical && previous?.Score.Level != RiskLevels.Critical && !DealStages.IsClosed(score.Deal.Stage))
            {
                var context = SlackBlocks.Freshness(scored.AsOf, [SlackBlocks.ScorerName(score.Scorer, score.ModelVersion)]);
                await outbox.EnqueueCriticalDealAsync(score, context, cancellationToken);
                raised.Add(new RiskAlertRaised
                {
                    CorrelationId = scored.CorrelationId,
                    Score = score,
                    PreviousLevel = previous?.Score.Level,
                    RaisedAt = time.GetUtcNow(),
                });
            }
            await store.LatestRisk.UpsertIfNewerAsync(dealId, score.Deal.Version, new DealRiskAsOf { Score = score, AsOf = scored.AsOf }, cancellationToken);
        }
        return raised;
    }
}
