namespace DealRisk.Contracts;

/// <summary>
/// Scores of one daily-batch chunk, columnar and binary (<see cref="ScoreChunk"/> in <see cref="Payload"/>), on its own
/// endpoints so a batch never queues ahead of a single-deal <see cref="DealScored"/>.
/// Idempotency key: (<see cref="BatchChunk.BatchId"/>, <see cref="BatchChunk.ChunkIndex"/>).
/// </summary>
public sealed record DealChunkScored
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required BatchChunk Batch { get; init; }
    /// <summary>"rules" or "model": which scorer the chunk was scored by (a deal missing a model input says so in its own row).</summary>
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>As <see cref="DealScored.ScoredBy"/>.</summary>
    public string? ScoredBy { get; init; }
    public required int DealCount { get; init; }
    public required byte[] Payload { get; init; }

    /// <summary>A chunk's scores, as computed in memory, for the wire.</summary>
    public static DealChunkScored Of(DealScored scored) => new()
    {
        CorrelationId = scored.CorrelationId,
        AsOf = scored.AsOf,
        Batch = scored.Batch ?? throw new ArgumentException("Only a batch chunk travels as DealChunkScored.", nameof(scored)),
        Scorer = scored.Scorer,
        ModelVersion = scored.ModelVersion,
        ScoredBy = scored.ScoredBy,
        DealCount = scored.Scores.Count,
        Payload = ScoreChunk.Of(scored.Scores).ToBytes(),
    };

    /// <summary>
    /// The chunk's scores; throws <see cref="InvalidChunkPayloadException"/> for a payload that cannot be read or that
    /// holds another number of deals than <see cref="DealCount"/>.
    /// </summary>
    public ScoreChunk ReadScores()
    {
        var chunk = ScoreChunk.Read(Payload);
        if (chunk.Count != DealCount)
            throw new InvalidChunkPayloadException($"batch {Batch.BatchId} chunk {Batch.ChunkIndex} announces {DealCount} deals and holds {chunk.Count}");
        return chunk;
    }

    /// <summary>The chunk in the shape of a <see cref="DealScored"/>, every score materialized.</summary>
    public DealScored ToDealScored() => new()
    {
        CorrelationId = CorrelationId,
        AsOf = AsOf,
        Batch = Batch,
        Scorer = Scorer,
        ModelVersion = ModelVersion,
        ScoredBy = ScoredBy,
        Scores = [.. ReadScores().All()],
    };
}
