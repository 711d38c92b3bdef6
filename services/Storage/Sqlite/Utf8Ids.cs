using System.Buffers;
using System.Text;

namespace DealRisk.Storage;

/// <summary>Ids asked for in one bulk read, as UTF-8 in one pooled buffer, checked to be distinct and in ascending byte order.</summary>
internal sealed class Utf8Ids : IDisposable
{
    private byte[] _bytes;
    private readonly int[] _ends;

    public Utf8Ids(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Count = ids.Count;
        _ends = ArrayPool<int>.Shared.Rent(Math.Max(1, Count));
        var length = 0;
        for (var i = 0; i < Count; i++)
            length += Encoding.UTF8.GetMaxByteCount((ids[i] ?? throw new ArgumentException($"Id {i} is null.", nameof(ids))).Length);
        _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        var end = 0;
        for (var i = 0; i < Count; i++)
        {
            end += Encoding.UTF8.GetBytes(ids[i], _bytes.AsSpan(end));
            _ends[i] = end;
            if (i > 0 && this[i - 1].SequenceCompareTo(this[i]) >= 0)
                throw new ArgumentException($"Ids must be distinct and in ascending UTF-8 order: '{ids[i - 1]}' comes before '{ids[i]}'.", nameof(ids));
        }
    }

    public int Count { get; }

    public ReadOnlySpan<byte> this[int index] => _bytes.AsSpan(index == 0 ? 0 : _ends[index - 1], _ends[index] - (index == 0 ? 0 : _ends[index - 1]));

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<int>.Shared.Return(_ends);
        _bytes = [];
    }
}
