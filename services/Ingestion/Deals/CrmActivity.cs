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

    private Task RecordAsync(string channel, CancellationToken cancellationToken) =>
        _marks.UpsertAsync(channel, new CrmActivityMark { Channel = channel, At = time.GetUtcNow() }, cancellationToken);
}
