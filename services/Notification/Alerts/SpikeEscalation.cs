using DealRisk.Notification.Email;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Sla;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Alerts;

/// <summary>
/// Compares the day with its trailing average; a spike escalates to the CRO (Slack and email) and raises the
/// dashboard's banner. Ids are the day's, so reporting a day again escalates once.
/// </summary>
public sealed class SpikeEscalation(NotificationStore store, NotificationOutbox outbox, SlaOptions options, IOptions<EmailOptions> email)
{
    public async Task<Spike?> CheckAsync(ReportSummary summary, CancellationToken cancellationToken)
    {
        var days = Enumerable.Range(1, options.TrailingDays).Select(back => DailyRiskPoint.Key(summary.AsOf.AddDays(-back))).ToList();
        var trailing = new List<DailyRiskPoint>();
        await foreach (var point in store.DailyHistory.GetManyAsync(days, cancellationToken))
            trailing.Add(point);
        if (SpikeDetector.Detect(summary, trailing, options) is not { } spike)
            return null;

        var key = DailyRiskPoint.Key(summary.AsOf);
        await store.Escalations.UpsertAsync(key, spike, cancellationToken);
        var headline = $"🚨 ESCALATION: high-risk spike on {key}";
        await outbox.EnqueueSlackAsync($"{MessageKinds.Escalation}:{key}", MessageKinds.Escalation,
            SlackBlocks.Notice(headline, spike.Description + ". See the CRO dashboard and today's report."), cancellationToken);
        await outbox.EnqueueEmailAsync($"{MessageKinds.Escalation}-email:{key}", MessageKinds.Escalation, new EmailContent
        {
            Subject = $"Escalation: high-risk spike on {key}",
            Html = $"<h2>{System.Net.WebUtility.HtmlEncode(headline)}</h2><p>{System.Net.WebUtility.HtmlEncode(spike.Description)}.</p>",
            PlainText = $"{headline}\n\n{spike.Description}.",
            To = EmailOptions.Split(email.Value.EscalationRecipients),
        }, cancellationToken);
        return spike;
    }
}
