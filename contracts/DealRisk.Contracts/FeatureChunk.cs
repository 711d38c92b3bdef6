using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// The payload of <see cref="FeatureChunkComputed"/>: the feature names once, the deals as columns and every value in
/// one rows × features matrix (row-major, <see cref="double.NaN"/> where a feature could not be computed).
/// </summary>
[MemoryPackable]
public sealed partial class FeatureChunk
{
    public string[] FeatureNames { get; init; } = [];
    public DealColumns Deals { get; init; } = new();
    public double[] Values { get; init; } = [];

    public static FeatureChunk Of(IReadOnlyList<string> featureNames, IReadOnlyList<DealFeatureVector> vectors)
    {
        var width = featureNames.Count;
        var values = new double[vectors.Count * width];
        for (var row = 0; row < vectors.Count; row++)
        {
            var vector = vectors[row].Values;
            if (vector.Count != width)
                throw new ArgumentException($"Deal {vectors[row].Deal.ExternalId} has {vector.Count} feature values for {width} names.", nameof(vectors));
            for (var column = 0; column < width; column++)
                values[row * width + column] = vector[column] ?? double.NaN;
        }
        return new FeatureChunk
        {
            FeatureNames = [.. featureNames],
            Deals = DealColumns.Of([.. vectors.Select(v => v.Deal)]),
            Values = values,
        };
    }

    public static FeatureChunk Read(byte[] payload)
    {
        var chunk = ChunkPayload.Read<FeatureChunk>(payload);
        chunk.Deals.Check();
        if (chunk.Values.Length != chunk.Deals.Count * chunk.FeatureNames.Length)
            throw new InvalidChunkPayloadException(
                $"{chunk.Values.Length} feature values for {chunk.Deals.Count} deals × {chunk.FeatureNames.Length} features");
        return chunk;
    }

    public byte[] ToBytes() => ChunkPayload.Write(this);

    /// <summary>One row as the single-deal path carries it, its values read in place from <see cref="Values"/>.</summary>
    public DealFeatureVector Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Deals.Count, nameof(row));
        return new DealFeatureVector { Deal = Deals[row], Values = new FeatureChunkRow(Values, row * FeatureNames.Length, FeatureNames.Length) };
    }
}
