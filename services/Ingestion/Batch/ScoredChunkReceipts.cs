using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Batch;

/// <summary>That ingestion recorded one scored chunk of a batch; the batch publisher paces itself by how many there are.</summary>
public sealed record ScoredChunkReceipt(Guid BatchId, int ChunkIndex, DateTimeOffset At);

/// <summary>The scored chunks ingestion has recorded, one small document per (batch, index), counted per batch.</summary>
public sealed class ScoredChunkReceipts([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store, TimeProvider time)
{
    private readonly IDocumentCollection<ScoredChunkReceipt> _receipts = store.GetCollection<ScoredChunkReceipt>("scored-chunk-receipts", "batchId");

    public Task RecordAsync(BatchChunk chunk, CancellationToken cancellationToken) =>
        _receipts.InsertIfAbsentAsync($"{chunk.BatchId:N}-{chunk.ChunkIndex}", new ScoredChunkReceipt(chunk.BatchId, chunk.ChunkIndex, time.GetUtcNow()), cancellationToken);

    public Task<long> CountAsync(Guid batchId, CancellationToken cancellationToken) =>
        _receipts.CountAsync("batchId", batchId, cancellationToken);
}
