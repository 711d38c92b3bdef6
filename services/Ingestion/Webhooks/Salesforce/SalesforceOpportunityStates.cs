using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Webhooks.Salesforce;

/// <summary>A received notification id: Salesforce may deliver the same notification more than once.</summary>
public sealed record OutboundReceipt
{
    public required string NotificationId { get; init; }
    public required string OpportunityId { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>The newest LastModifiedDate applied per Opportunity, so an older message arriving late is not applied over a newer one.</summary>
public sealed record OpportunityWatermark
{
    public required string OpportunityId { get; init; }
    public required DateTimeOffset LastModifiedAt { get; init; }
}

public sealed class SalesforceOutboundStore([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<OutboundReceipt> _receipts = store.GetCollection<OutboundReceipt>("salesforce-receipts");
    private readonly IDocumentCollection<OpportunityWatermark> _watermarks = store.GetCollection<OpportunityWatermark>("salesforce-watermarks");

    public async Task<bool> WasReceivedAsync(string notificationId, CancellationToken cancellationToken) =>
        await _receipts.GetAsync(notificationId, cancellationToken) is not null;

    public Task<bool> MarkReceivedAsync(OutboundReceipt receipt, CancellationToken cancellationToken) =>
        _receipts.InsertIfAbsentAsync(receipt.NotificationId, receipt, cancellationToken);

    public Task<OpportunityWatermark?> WatermarkAsync(string opportunityId, CancellationToken cancellationToken) =>
        _watermarks.GetAsync(opportunityId, cancellationToken);

    public Task SaveWatermarkAsync(OpportunityWatermark watermark, CancellationToken cancellationToken) =>
        _watermarks.UpsertAsync(watermark.OpportunityId, watermark, cancellationToken);
}
