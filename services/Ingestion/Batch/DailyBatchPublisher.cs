using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Batch;

/// <summary>
/// Starts a batch run: publishes references to the deals closed by the as-of date (history) in chunks, then to
/// the deals open on it, then the manifest with the counts. It reads only the slim deal index, closed deals first,
/// so the history part always precedes the open part. Open chunks are paced (<see cref="OpenChunkPacing"/>).
/// </summary>
public sealed class DailyBatchPublisher(
    DealRepository deals,
    IPublishEndpoint publish,
    OpenChunkPacing pacing,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<DailyBatchPublisher> logger)
{
    public async Task<DailyBatchSynced> PublishAsync(RunDailyBatch command, CancellationToken cancellationToken)
    {
        var chunkSize = options.Value.BatchChunkSize;
        var asOf = command.AsOf;
        await publish.Publish(new DailyBatchStarted
        {
            BatchId = command.BatchId,
            CorrelationId = command.CorrelationId,
            AsOf = asOf,
            Trigger = command.Trigger,
            StartedAt = time.GetUtcNow(),
        }, cancellationToken);

        DateTimeOffset? newest = null;
        var history = new ChunkWriter(command, DealChunkParts.History, chunkSize, null, publish, pacing: null);
        var replayedOpen = new List<DealIndexEntry>();
        await foreach (var deal in deals.ClosedAsync(cancellationToken))
        {
            if (!DealCalendar.KnownBy(deal, asOf)) continue;
            newest = Newest(newest, deal.UpdatedAt);
            if (DealCalendar.ClosedBy(deal, asOf))
                await history.AddAsync(deal, cancellationToken);
            else
                replayedOpen.Add(deal);
        }
        await history.FlushAsync(cancellationToken);

        var open = new ChunkWriter(command, DealChunkParts.Open, chunkSize, history.ChunkCount, publish, pacing);
        foreach (var deal in replayedOpen)
            await open.AddAsync(deal, cancellationToken);
        await foreach (var deal in deals.NotClosedAsync(cancellationToken))
        {
            if (!DealCalendar.KnownBy(deal, asOf)) continue;
            newest = Newest(newest, deal.UpdatedAt);
            await open.AddAsync(deal, cancellationToken);
        }
        await open.FlushAsync(cancellationToken);

        var synced = new DailyBatchSynced
        {
            BatchId = command.BatchId,
            CorrelationId = command.CorrelationId,
            AsOf = asOf,
            Trigger = command.Trigger,
            HistoryChunkCount = history.ChunkCount,
            OpenChunkCount = open.ChunkCount,
            HistoryDeals = history.DealCount,
            OpenDeals = open.DealCount,
            DataAsOf = newest,
            SyncedAt = time.GetUtcNow(),
        };
        await publish.Publish(synced, cancellationToken);
        logger.LogInformation(
            "Batch {BatchId} as of {AsOf}: {OpenDeals} open deals in {OpenChunks} chunks, {HistoryDeals} closed deals in {HistoryChunks} chunks",
            command.BatchId, asOf, open.DealCount, open.ChunkCount, history.DealCount, history.ChunkCount);
        return synced;
    }

    private static DateTimeOffset? Newest(DateTimeOffset? current, DateTimeOffset candidate) =>
        candidate == default || current >= candidate ? current : candidate;

    private sealed class ChunkWriter(RunDailyBatch command, string part, int chunkSize, int? historyChunkCount, IPublishEndpoint publish, OpenChunkPacing? pacing)
    {
        private List<DealRef> _buffer = new(chunkSize);
        private OpenChunkPacing? _pacing = pacing;

        public int ChunkCount { get; private set; }
        public int DealCount { get; private set; }

        public async Task AddAsync(DealIndexEntry deal, CancellationToken cancellationToken)
        {
            _buffer.Add(deal.Ref);
            DealCount++;
            if (_buffer.Count >= chunkSize)
                await FlushAsync(cancellationToken);
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_buffer.Count == 0) return;
            if (_pacing is not null && !await _pacing.WaitForRoomAsync(command.BatchId, ChunkCount, cancellationToken))
                _pacing = null;
            await publish.Publish(new DealChunkSynced
            {
                BatchId = command.BatchId,
                CorrelationId = command.CorrelationId,
                AsOf = command.AsOf,
                Part = part,
                ChunkIndex = ChunkCount++,
                HistoryChunkCount = historyChunkCount,
                Deals = _buffer,
            }, cancellationToken);
            _buffer = new List<DealRef>(chunkSize);
        }
    }
}
