using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using MassTransit;

namespace DealRisk.Notification.Consumers;

/// <summary>
/// No fresh CRM data: readers get "data unavailable" instead of a stale report, operators get an alert. Once per day.
/// </summary>
public sealed class AnnounceDataUnavailableConsumer(NotificationStore store, NotificationOutbox outbox, TimeProvider time) : IConsumer<CrmDataUnavailable>
{
    public async Task Consume(ConsumeContext<CrmDataUnavailable> context)
    {
        var notice = context.Message;
        var day = DailyRiskPoint.Key(notice.AsOf);
        await store.Claims.UpsertAsync($"data-unavailable:{day}", new Marker { At = notice.DetectedAt }, context.CancellationToken);
        var lastData = notice.LastDataAt is { } at ? $"the last CRM data arrived {at:yyyy-MM-dd HH:mm} UTC" : "no CRM data has arrived";
        var text = $"No fresh CRM data for {day}: {lastData} (freshness window {notice.Window.TotalHours:0.#} h). " +
                   "Today's deal-risk report is withheld rather than sent stale.";
        var queued = await outbox.EnqueueSlackAsync($"{MessageKinds.DataUnavailable}:{day}", MessageKinds.DataUnavailable,
            SlackBlocks.Notice("⚠️ DATA UNAVAILABLE", text), context.CancellationToken);
        await outbox.EnqueueEmailAsync($"{MessageKinds.DataUnavailable}-email:{day}", MessageKinds.DataUnavailable, new EmailContent
        {
            Subject = $"Deal risk {day}: data unavailable",
            Html = $"<p>{System.Net.WebUtility.HtmlEncode(text)}</p>",
            PlainText = text,
        }, context.CancellationToken);
        if (queued)
        {
            await context.Publish(new OperatorAlertRaised
            {
                CorrelationId = notice.CorrelationId,
                Kind = "crm-data-unavailable",
                Severity = "critical",
                Message = text,
                Source = NotificationServiceExtensions.ServiceName,
                RaisedAt = time.GetUtcNow(),
            }, context.CancellationToken);
        }
    }
}
