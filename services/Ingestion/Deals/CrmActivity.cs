using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>When CRM data last arrived, by channel: what the morning sync checks before it lets a report go out.</summary>
public sealed record CrmActivityMark
{
    /// <summary>webhook or import.</summary>
    public required string Channel { get; init; }
    public required DateTimeOffset At { get; init; }
}

public sealed class CrmActivity([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store, TimeProvider time)
{
    public const string Webhook = "webhook";
    public const string Import = "import";

    private readonly IDocumentCollection<CrmActivityMark> _marks = store.GetCollection<CrmActivityMark>("crm-activity");

    public Task RecordWebhookAsync(CancellationToken cancellationToken) => RecordAsync(Webhook, cancellationToken);

    public Task RecordImportAsync(CancellationToken cancellationToken) => RecordAsync(Import, cancellationToken);

    /// <summary>The newest arrival over every channel, or null when nothing ever arrived.</summary>
    public async Task<DateTimeOffset?> LastDataAtAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        await foreach (var mark in _marks.ScanAsync(cancellationToken))
            if (last is null || mark.At > last) last = mark.At;
        return last;
    }

    /// <summary>A mark per minute is plenty against a window of hours, and keeps a write off every webhook delivery.</summary>
    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new();

    private Task RecordAsync(string channel, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_lastWritten.TryGetValue(channel, out var last) && now - last < Resolution && now >= last)
            return Task.CompletedTask;
        _lastWritten[channel] = now;
        return _marks.UpsertAsync(channel, new CrmActivityMark { Channel = channel, At = now }, cancellationToken);
    }
}
