namespace DealRisk.Contracts;

/// <summary>
/// Point-in-time features of one daily-batch chunk, columnar and binary (<see cref="FeatureChunk"/> in
/// <see cref="Payload"/>), on its own endpoints so a batch never queues ahead of a single-deal
/// <see cref="FeaturesComputed"/>. Idempotency key: (<see cref="BatchChunk.BatchId"/>, <see cref="BatchChunk.ChunkIndex"/>).
/// </summary>
public sealed record FeatureChunkComputed
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required BatchChunk Batch { get; init; }
    public required byte[] Payload { get; init; }

    /// <summary>A chunk's features, as computed in memory, for the wire.</summary>
    public static FeatureChunkComputed Of(FeaturesComputed computed) => new()
    {
        CorrelationId = computed.CorrelationId,
        AsOf = computed.AsOf,
        Batch = computed.Batch ?? throw new ArgumentException("Only a batch chunk travels as FeatureChunkComputed.", nameof(computed)),
        Payload = FeatureChunk.Of(computed.FeatureNames, computed.Deals).ToBytes(),
    };

    /// <summary>The chunk in the shape scoring works on in memory; throws <see cref="InvalidChunkPayloadException"/> for a payload that cannot be read.</summary>
    public FeaturesComputed ReadFeatures()
    {
        var chunk = FeatureChunk.Read(Payload);
        var deals = new DealFeatureVector[chunk.Deals.Count];
        for (var row = 0; row < deals.Length; row++)
            deals[row] = chunk.Row(row);
        return new FeaturesComputed
        {
            CorrelationId = CorrelationId,
            AsOf = AsOf,
            Batch = Batch,
            FeatureNames = chunk.FeatureNames,
            Deals = deals,
        };
    }
}
