using System.Buffers;
using MemoryPack;
using ZstdSharp;

namespace DealRisk.Contracts;

/// <summary>
/// The one binary encoding of batch chunk payloads (<see cref="FeatureChunk"/>, <see cref="ScoreChunk"/>, <see cref="DealRefColumns"/>): MemoryPack in
/// a Zstandard frame. A chunk's columns are highly repetitive (a feature chunk shrinks about 7.5 times at level 1), and
/// every byte of it is base64 in the message envelope, written to the broker's disk and read back.
/// </summary>
public static class ChunkPayload
{
    private const int Level = 1;
    /// <summary>Far above any chunk (5,000 deals take about 2 MB); a frame claiming more is damaged or hostile.</summary>
    private const int MaxPayloadBytes = 256 * 1024 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? _serialized;
    [ThreadStatic] private static Compressor? _compressor;
    [ThreadStatic] private static Decompressor? _decompressor;
    [ThreadStatic] private static byte[]? _scratch;

    public static byte[] Write<T>(T payload)
    {
        var serialized = _serialized ??= new ArrayBufferWriter<byte>(64 * 1024);
        serialized.ResetWrittenCount();
        MemoryPackSerializer.Serialize(serialized, payload);
        var compressor = _compressor ??= new Compressor(Level);
        var compressed = Scratch(Compressor.GetCompressBound(serialized.WrittenCount));
        return compressed[..compressor.Wrap(serialized.WrittenSpan, compressed)].ToArray();
    }

    public static T Read<T>(byte[]? bytes) where T : class
    {
        if (bytes is null || bytes.Length == 0)
            throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload is empty");
        try
        {
            return MemoryPackSerializer.Deserialize<T>(ZstdFrame.Starts(bytes) ? Decompress<T>(bytes) : bytes)
                   ?? throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload holds nothing");
        }
        catch (Exception e) when (e is not InvalidChunkPayloadException)
        {
            throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload ({bytes.Length} bytes) cannot be decoded: {e.Message}", e);
        }
    }

    private static ReadOnlySpan<byte> Decompress<T>(ReadOnlySpan<byte> frame)
    {
        var size = Decompressor.GetDecompressedSize(frame);
        if (size is 0 or > MaxPayloadBytes)
            throw new InvalidChunkPayloadException($"the {typeof(T).Name} payload says it holds {size} bytes, outside 1 to {MaxPayloadBytes}");
        var decompressor = _decompressor ??= new Decompressor();
        var decompressed = Scratch((int)size);
        return decompressed[..decompressor.Unwrap(frame, decompressed)];
    }

    /// <summary>This thread's scratch space, grown to the largest chunk it has handled; the result never escapes it.</summary>
    private static Span<byte> Scratch(int size)
    {
        if (_scratch is null || _scratch.Length < size)
            _scratch = new byte[Math.Max(size, 64 * 1024)];
        return _scratch;
    }
}
