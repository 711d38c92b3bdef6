using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Webhooks;

/// <summary>A refused webhook request, or one refused event inside an accepted request: what and why, never the body or a secret.</summary>
public sealed record WebhookRejection
{
    public required Guid Id { get; init; }
    /// <summary>hubspot or salesforce.</summary>
    public required string Source { get; init; }
    /// <summary>request (the whole delivery was refused with <see cref="StatusCode"/>) or event (one event of an accepted delivery).</summary>
    public required string Scope { get; init; }
    public required int StatusCode { get; init; }
    public required string Reason { get; init; }
    public string? EventId { get; init; }
    public string? ObjectId { get; init; }
    public string? RemoteAddress { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>
/// Keeps rejections in the <c>webhook-rejections</c> collection and logs them, so an operator can see why a CRM change
/// did not arrive. Refused requests come from anyone: at most <see cref="IngestionOptions.MaxRecordedRefusalsPerMinute"/>
/// are kept, the rest counted and logged once a minute.
/// </summary>
public sealed partial class WebhookRejections(
    [FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store,
    IOptionsMonitor<IngestionOptions> options,
    TimeProvider time,
    ILogger<WebhookRejections> logger)
{
    public const int MaxReasonLength = 500;

    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _recordedInWindow;
    private int _suppressedInWindow;

    public const string RequestScope = "request";
    public const string EventScope = "event";

    private readonly IDocumentCollection<WebhookRejection> _rejections = store.GetCollection<WebhookRejection>("webhook-rejections", "source");

    public async Task RecordRequestAsync(string source, int statusCode, string reason, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TryTakeRecordingSlot())
            return;
        reason = Shorten(reason);
        var remote = http.Connection.RemoteIpAddress?.ToString();
        LogRequestRejected(source, statusCode, LoggedReason.Of(reason), remote);
        WebhookMetrics.RefusedRequest(source, statusCode);
        await SaveAsync(new WebhookRejection
        {
            Id = NewId.NextGuid(), Source = source, Scope = RequestScope, StatusCode = statusCode, Reason = reason, RemoteAddress = remote, At = time.GetUtcNow(),
        }, cancellationToken);
    }

    public async Task RecordEventAsync(string source, string? eventId, string? objectId, string reason, CancellationToken cancellationToken)
    {
        reason = Shorten(reason);
        eventId = eventId is null ? null : Deals.FieldLimits.Shown(eventId);
        objectId = objectId is null ? null : Deals.FieldLimits.Shown(objectId);
        LogEventRejected(source, eventId, objectId, LoggedReason.Of(reason));
        WebhookMetrics.RefusedEvent(source);
        await SaveAsync(new WebhookRejection
        {
            Id = NewId.NextGuid(), Source = source, Scope = EventScope, StatusCode = StatusCodes.Status200OK, Reason = reason,
            EventId = eventId, ObjectId = objectId, At = time.GetUtcNow(),
        }, cancellationToken);
    }

    public IAsyncEnumerable<WebhookRejection> ForSourceAsync(string source, CancellationToken cancellationToken) =>
        _rejections.FindAsync("source", source, cancellationToken);

    private bool TryTakeRecordingSlot()
    {
        int suppressed;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            suppressed = 0;
            if (now - _windowStart >= TimeSpan.FromMinutes(1))
            {
                suppressed = _suppressedInWindow;
                (_windowStart, _recordedInWindow, _suppressedInWindow) = (now, 0, 0);
            }
            if (_recordedInWindow >= options.CurrentValue.MaxRecordedRefusalsPerMinute)
            {
                _suppressedInWindow++;
                return false;
            }
            _recordedInWindow++;
        }
        if (suppressed > 0)
            LogSuppressed(suppressed);
        return true;
    }

    private static string Shorten(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Suppressed} more refused webhook requests in the last minute were neither stored nor logged (Ingestion:MaxRecordedRefusalsPerMinute)")]
    private partial void LogSuppressed(int suppressed);

    private Task SaveAsync(WebhookRejection rejection, CancellationToken cancellationToken) =>
        _rejections.UpsertAsync(rejection.Id.ToString(), rejection, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Source} webhook with {StatusCode}: {Reason} (from {RemoteAddress})")]
    private partial void LogRequestRejected(string source, int statusCode, string reason, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source} event {EventId} for object {ObjectId}: {Reason}")]
    private partial void LogEventRejected(string source, string? eventId, string? objectId, string reason);
}
