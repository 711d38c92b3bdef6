using DealRisk.Contracts;
using DealRisk.Storage;
using MemoryPack;

namespace DealRisk.Notification.Storage;

/// <summary>
/// The batch chunks' scores as they arrived, toward the day's report: each chunk as one binary row keyed (batch, index)
/// holding the binary block it came in (no document around it), and a small receipt per chunk that the completion
/// check counts by batch.
/// </summary>
public sealed class ScoredChunks(IBinaryCollection blocks, IDocumentCollection<ScoredChunkReceipt> receipts)
{
    /// <summary>Every stored chunk has this version: a redelivered chunk finds it stored and writes nothing.</summary>
    private const long StoredVersion = 1;

    /// <summary>Stores the chunk unless it is stored already; returns whether it was new.</summary>
    public async Task<bool> AddAsync(DealChunkScored scored, CancellationToken cancellationToken)
    {
        var id = NotificationStore.ChunkId(scored.Batch);
        var row = new BinaryRow(id, StoredVersion, MemoryPackSerializer.Serialize(StoredScoredChunk.Of(scored)));
        // The block before its receipt: a receipt counted toward completion always has its block to read.
        await blocks.UpsertIfNewerAsync(row, cancellationToken);
        return await receipts.InsertIfAbsentAsync(id, new ScoredChunkReceipt { BatchId = scored.Batch.BatchId, ChunkIndex = scored.Batch.ChunkIndex }, cancellationToken);
    }

    public async Task<DealChunkScored?> GetAsync(Guid batchId, int chunkIndex, CancellationToken cancellationToken)
    {
        var id = NotificationStore.ChunkId(batchId, chunkIndex);
        if (await blocks.GetAsync(id, cancellationToken) is not { } row)
            return null;
        var stored = MemoryPackSerializer.Deserialize<StoredScoredChunk>(row.Payload)
            ?? throw new InvalidChunkPayloadException($"the stored scored chunk {id} holds nothing");
        return stored.ToMessage();
    }

    public Task<long> CountAsync(Guid batchId, CancellationToken cancellationToken) =>
        receipts.CountAsync("batchId", batchId, cancellationToken);
}

/// <summary>That a batch's chunk is stored: counted by batch to know when every chunk is in.</summary>
public sealed record ScoredChunkReceipt
{
    public required Guid BatchId { get; init; }
    public required int ChunkIndex { get; init; }
}

/// <summary>A <see cref="DealChunkScored"/> as one binary row: its few fields and the <see cref="ScoreChunk"/> block as it came.</summary>
[MemoryPackable]
internal sealed partial class StoredScoredChunk
{
    public Guid CorrelationId { get; init; }
    public DateTimeOffset AsOf { get; init; }
    public Guid BatchId { get; init; }
    public DateOnly BatchAsOf { get; init; }
    public int ChunkIndex { get; init; }
    public string Scorer { get; init; } = "";
    public string? ModelVersion { get; init; }
    public string? ScoredBy { get; init; }
    public int DealCount { get; init; }
    public byte[] Payload { get; init; } = [];

    public static StoredScoredChunk Of(DealChunkScored scored) => new()
    {
        CorrelationId = scored.CorrelationId,
        AsOf = scored.AsOf,
        BatchId = scored.Batch.BatchId,
        BatchAsOf = scored.Batch.AsOf,
        ChunkIndex = scored.Batch.ChunkIndex,
        Scorer = scored.Scorer,
        ModelVersion = scored.ModelVersion,
        ScoredBy = scored.ScoredBy,
        DealCount = scored.DealCount,
        Payload = scored.Payload,
    };

    public DealChunkScored ToMessage() => new()
    {
        CorrelationId = CorrelationId,
        AsOf = AsOf,
        Batch = new BatchChunk { BatchId = BatchId, AsOf = BatchAsOf, ChunkIndex = ChunkIndex },
        Scorer = Scorer,
        ModelVersion = ModelVersion,
        ScoredBy = ScoredBy,
        DealCount = DealCount,
        Payload = Payload,
    };
}
