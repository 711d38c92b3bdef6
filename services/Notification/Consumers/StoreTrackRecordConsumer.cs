using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using DealRisk.Notification.TrackRecord;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Consumers;

/// <summary>
/// Keeps the newest track record for the dashboard; one refreshed by a batch also goes into that day's report folder
/// (the report writes the newest one too, whichever of the two comes last). An older record never overwrites a newer one.
/// </summary>
public sealed class StoreTrackRecordConsumer(NotificationStore store, IOptions<ReportOptions> options) : IConsumer<TrackRecordUpdated>
{
    public async Task Consume(ConsumeContext<TrackRecordUpdated> context)
    {
        var record = context.Message;
        if (!await store.TrackRecord.UpsertIfNewerAsync(TrackRecordEndpoints.LatestId, record.ComputedAt.UtcTicks, record, context.CancellationToken))
            return;
        if (record.AsOf is { } day)
            await TrackRecordFiles.WriteAsync(Path.GetFullPath(Path.Combine(options.Value.OutputDirectory, day.ToString("yyyy-MM-dd"))), record, context.CancellationToken);
    }
}
