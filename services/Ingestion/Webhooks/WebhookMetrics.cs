using DealRisk.ServiceDefaults;
using Microsoft.AspNetCore.WebUtilities;

namespace DealRisk.Ingestion.Webhooks;

/// <summary>Counts webhook changes into <c>dealrisk_webhook_changes</c>: accepted (applied, duplicate, ignored) or refused, with a reason category.</summary>
public static class WebhookMetrics
{
    public const string InvalidEvent = "invalid-event";

    public static void Accepted(string crm, int applied, int duplicates, int ignored)
    {
        Add(crm, "accepted", "applied", applied);
        Add(crm, "accepted", "duplicate", duplicates);
        Add(crm, "accepted", "ignored", ignored);
    }

    /// <summary>A whole delivery refused: the reason is its status (Unauthorized, Payload Too Large …), never the free text.</summary>
    public static void RefusedRequest(string crm, int statusCode) =>
        Add(crm, "refused", ReasonPhrases.GetReasonPhrase(statusCode) is { Length: > 0 } phrase ? phrase : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), 1);

    public static void RefusedEvent(string crm) => Add(crm, "refused", InvalidEvent, 1);

    private static void Add(string crm, string outcome, string reason, int count)
    {
        if (count > 0 && !Rehearsal.InProgress)
            DealRiskMetrics.WebhookChanges.Add(count,
                new KeyValuePair<string, object?>("crm", crm), new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));
    }
}
