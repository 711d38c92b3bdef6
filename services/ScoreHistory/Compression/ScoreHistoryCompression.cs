using ZstdSharp;
using ZstdSharp.Unsafe;

namespace DealRisk.ScoreHistory;

/// <summary>
/// Zstandard with a dictionary of the history's own vocabulary (feature and rule names, reason and summary phrases,
/// model versions), which takes a stored score from about 840 bytes to about 170: the history is most of what the batch
/// writes, and SQLite's cost follows the bytes. A dictionary never changes once entries are compressed with it; a new
/// one gets a new id and a new file beside it, and both stay readable.
/// </summary>
internal static class ScoreHistoryCompression
{
    /// <summary>The id <c>zstd --train --dictID</c> wrote into <c>score-history-1.zdict</c> and every frame carries ("DR" 1).</summary>
    public const uint DictionaryId = 0x44520001;
    private const int Level = 3;
    /// <summary>Far above any score (a flagged model score is a few KB); a header claiming more is damaged.</summary>
    private const int MaxEntryBytes = 16 * 1024 * 1024;

    private static readonly byte[] Dictionary = LoadDictionary("score-history-1.zdict");

    [ThreadStatic] private static Compressor? _compressor;
    [ThreadStatic] private static Decompressor? _decompressor;
    [ThreadStatic] private static byte[]? _buffer;

    public static byte[] Compress(ReadOnlySpan<byte> encoded)
    {
        var compressed = Buffer(Compressor.GetCompressBound(encoded.Length));
        return compressed[..Compressor.Wrap(encoded, compressed)].ToArray();
    }

    /// <summary>The decompressed bytes, valid until this thread compresses or decompresses again.</summary>
    public static ReadOnlySpan<byte> Decompress(ReadOnlySpan<byte> payload)
    {
        try
        {
            var size = Decompressor.GetDecompressedSize(payload);
            if (size is 0 or > MaxEntryBytes)
                throw new InvalidDataException($"A stored score history entry says it holds {size} bytes, outside 1 to {MaxEntryBytes}.");
            var frameDictionary = FrameDictionaryId(payload);
            if (frameDictionary != DictionaryId)
                throw new InvalidDataException($"A stored score history entry was compressed with dictionary {frameDictionary}, which this version does not have.");
            var decompressed = Buffer((int)size);
            return decompressed[..Decompressor.Unwrap(payload, decompressed)];
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"A stored score history entry cannot be decompressed: {e.Message}", e);
        }
    }

    /// <summary>This thread's scratch space, grown to the largest entry it has handled.</summary>
    private static Span<byte> Buffer(int size)
    {
        if (_buffer is null || _buffer.Length < size)
            _buffer = new byte[Math.Max(size, 4096)];
        return _buffer;
    }

    private static Compressor Compressor
    {
        get
        {
            if (_compressor is null)
            {
                var compressor = new Compressor(Level);
                compressor.LoadDictionary(Dictionary);
                _compressor = compressor;
            }
            return _compressor;
        }
    }

    private static Decompressor Decompressor
    {
        get
        {
            if (_decompressor is null)
            {
                var decompressor = new Decompressor();
                decompressor.LoadDictionary(Dictionary);
                _decompressor = decompressor;
            }
            return _decompressor;
        }
    }

    /// <summary>The dictionary id the frame's header names (0 when it names none).</summary>
    private static unsafe uint FrameDictionaryId(ReadOnlySpan<byte> frame)
    {
        fixed (byte* start = frame)
            return Methods.ZSTD_getDictID_fromFrame(start, (nuint)frame.Length);
    }

    private static byte[] LoadDictionary(string name)
    {
        using var stream = typeof(ScoreHistoryCompression).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The score history's compression dictionary '{name}' is not embedded in {typeof(ScoreHistoryCompression).Assembly.GetName().Name}.");
        var dictionary = new byte[stream.Length];
        stream.ReadExactly(dictionary);
        return dictionary;
    }
}
