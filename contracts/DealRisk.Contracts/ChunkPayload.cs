using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>The one binary encoding of batch chunk payloads (<see cref="FeatureChunk"/>, <see cref="ScoreChunk"/>).</summary>
public static class ChunkPayload
{
    public static byte[] Write<T>(T payload) => MemoryPackSerializer.Serialize(payload);

    public static T Read<T>(byte[]? bytes) where T : class
    {
        if (bytes is null || bytes.Length == 0)
            throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload is empty");
        try
        {
            return MemoryPackSerializer.Deserialize<T>(bytes)
                   ?? throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload holds nothing");
        }
        catch (Exception e) when (e is not InvalidChunkPayloadException)
        {
            throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload ({bytes.Length} bytes) cannot be decoded: {e.Message}", e);
        }
    }
}
