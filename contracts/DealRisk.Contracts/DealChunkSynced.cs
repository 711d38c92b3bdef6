using System.Text.Json.Serialization;
using DealRisk.Contracts.Json;

namespace DealRisk.Contracts;

/// <summary>
/// One chunk of a batch run's deals, by reference: the feature service holds every deal's state from
/// <see cref="DealSynced"/> and <see cref="DealChanged"/>, so a million-deal batch moves ids and versions, not deals. A deal it does not yet hold
/// at the referenced version is asked for again with <see cref="ResyncDeals"/>.
/// Ingestion publishes every history chunk before the first open chunk, and each open chunk says how many history
/// chunks there were. Idempotency key: (BatchId, Part, ChunkIndex).
/// </summary>
public sealed record DealChunkSynced
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    /// <summary>One of <see cref="DealChunkParts"/>.</summary>
    public required string Part { get; init; }
    public required int ChunkIndex { get; init; }
    /// <summary>Set on open chunks: how many history chunks precede them.</summary>
    public int? HistoryChunkCount { get; init; }
    /// <summary>Travels as one binary payload (<see cref="DealRefsJsonConverter"/>), not as an object per deal.</summary>
    [JsonConverter(typeof(DealRefsJsonConverter))]
    public required IReadOnlyList<DealRef> Deals { get; init; }
}
