using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks.Salesforce;

public sealed record OutboundResult(int Notifications, int Applied, int Duplicates, int Stale, int DealsChanged, IReadOnlyList<string> Errors);

/// <summary>
/// Applies an outbound message notification by notification: each is taken once (by its Id), never over a newer
/// LastModifiedDate, merged onto the stored deal with its changes appended to the history, then published. Each change
/// is recorded as pending publication before it is stored: once stored, Salesforce's resend finds the deal unchanged,
/// so a crash between storing and publishing must leave the change to the sweeper.
/// </summary>
public sealed class SalesforceOutboundProcessor(
    SalesforceOutboundStore store,
    DealRepository deals,
    DealEventPublisher publisher,
    WebhookRejections rejections,
    CrmActivity activity,
    DealLocks locks,
    IOptionsMonitor<SalesforceOptions> options,
    TimeProvider time)
{
    public const string Origin = "salesforce-outbound";
    private const int MaxConcurrencyRetries = 10;

    public async Task<OutboundResult> ProcessAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var changes = new List<DealMergeResult>();
        var errors = new List<string>();
        var recorded = new List<PendingPublication>();
        var correlationId = NewId.NextGuid();
        int applied = 0, duplicates = 0, stale = 0;
        foreach (var notification in message.Notifications)
        {
            if (FieldLimits.Id("Notification Id", notification.Id) is { } unusableId)
            {
                // Not a key to remember it by: refused without a receipt, so nothing that size is stored.
                errors.Add($"Notification {FieldLimits.Shown(notification.Id)}: {unusableId.Reason}");
                await rejections.RecordEventAsync(SalesforceOpportunity.SourceName, notification.Id, notification.Field("Id").Value, unusableId.Reason, cancellationToken);
                continue;
            }
            if (await store.WasReceivedAsync(notification.Id, cancellationToken))
            {
                duplicates++;
                continue;
            }

            var opportunityId = notification.Field("Id").Value?.Trim() ?? "";
            try
            {
                DealMergeResult? merge;
                using (await locks.AcquireAsync(DealKey.Of(SalesforceOpportunity.SourceName, opportunityId), cancellationToken))
                    merge = await ApplyAsync(notification, settings, correlationId, recorded, cancellationToken);
                switch (merge)
                {
                    case { } change:
                        applied++;
                        if (change.Outcome != DealMergeOutcome.Unchanged) changes.Add(change);
                        break;
                    default:
                        stale++;
                        break;
                }
            }
            catch (FieldValueException bad)
            {
                errors.Add($"Notification {FieldLimits.Shown(notification.Id)} (Opportunity {FieldLimits.Shown(opportunityId)}): {bad.Message}");
                await rejections.RecordEventAsync(SalesforceOpportunity.SourceName, notification.Id, opportunityId, bad.Message, cancellationToken);
            }
            await store.MarkReceivedAsync(new OutboundReceipt { NotificationId = notification.Id, OpportunityId = FieldLimits.Shown(opportunityId), ReceivedAt = time.GetUtcNow() }, cancellationToken);
        }

        if (applied > 0)
            await activity.RecordWebhookAsync(cancellationToken);
        await publisher.AnnounceAsync(changes, correlationId, Origin, recorded, cancellationToken);
        WebhookMetrics.Accepted(SalesforceOpportunity.SourceName, applied, duplicates, stale);
        return new OutboundResult(message.Notifications.Count, applied, duplicates, stale, changes.Count, errors);
    }

    /// <summary>The merge, or null when a newer change of this Opportunity was applied already.</summary>
    private async Task<DealMergeResult?> ApplyAsync(
        OutboundNotification notification, SalesforceOptions settings, Guid correlationId, List<PendingPublication> recorded, CancellationToken cancellationToken)
    {
        var opportunityId = notification.Field("Id").Value?.Trim();
        if (string.IsNullOrEmpty(opportunityId))
            throw new FieldValueException("Id", "The Opportunity has no <Id>: select the Id field in the outbound message.");
        if (FieldLimits.Id("Id", opportunityId) is { } tooLong)
            throw new FieldValueException("Id", tooLong.Reason);
        var now = time.GetUtcNow();
        var lastModified = settings.Clamp(SalesforceOpportunity.LastModified(notification.Field), now);
        var watermark = await store.WatermarkAsync(opportunityId, cancellationToken);
        if (lastModified is not null && watermark is not null && lastModified < watermark.LastModifiedAt)
            return null;

        // Another replica may store a version of this deal between our read and our write: the write then refuses, and
        // the merge is made again on what it stored, so no change is published that was not stored.
        for (var attempt = 1; attempt <= MaxConcurrencyRetries; attempt++)
        {
            now = time.GetUtcNow();
            var stored = await deals.GetAsync(SalesforceOpportunity.SourceName, opportunityId, cancellationToken);
            var next = SalesforceOpportunity.Apply(stored, ClampedLastModified(notification, lastModified), settings.Stages);
            if (FieldLimits.Check(next) is { } overLimit)
                throw new FieldValueException(overLimit.Field, overLimit.Reason);
            next = next with { History = DealHistory.Append(stored, next, lastModified ?? now) };
            var merge = DealMerge.Apply(stored, next, now);
            if (merge.Outcome != DealMergeOutcome.Unchanged)
            {
                recorded.Add((await publisher.RecordAsync([merge], correlationId, Origin, cancellationToken))!);
                if (!await deals.SaveAsync(merge.Deal, cancellationToken))
                    continue;
            }
            if (lastModified is not null)
                await store.SaveWatermarkAsync(new OpportunityWatermark { OpportunityId = opportunityId, LastModifiedAt = lastModified.Value }, cancellationToken);
            return merge;
        }
        // Salesforce resends an unacknowledged message; what was applied by then is recognized.
        throw new InvalidOperationException($"Opportunity {opportunityId} kept changing under concurrent deliveries; gave up after {MaxConcurrencyRetries} attempts.");
    }

    /// <summary>The notification's fields with <c>LastModifiedDate</c> clamped, so no date derived from it (next step, closing) lies in the future either.</summary>
    private static Func<string, (bool Present, string? Value)> ClampedLastModified(OutboundNotification notification, DateTimeOffset? lastModified) =>
        name => name == "LastModifiedDate" && lastModified is { } clamped
            ? (true, clamped.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
            : notification.Field(name);
}
