using System.Buffers.Binary;

namespace DealRisk.Contracts;

/// <summary>
/// Tells a Zstandard frame from the plain bytes an earlier release stored or sent, by the frame's magic number: batch chunk
/// payloads (<see cref="ChunkPayload"/>) and stored score history entries are read either way.
/// </summary>
public static class ZstdFrame
{
    private const uint Magic = 0xFD2FB528;

    public static bool Starts(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Magic;
}
