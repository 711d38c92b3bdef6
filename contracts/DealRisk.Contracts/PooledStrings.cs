using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// A string member that takes few distinct values (a stage, a field name, a signal, a level), read back as one shared
/// instance per value instead of a new string each time: a daily batch decodes a million deal copies and their change
/// histories, and these strings were a fifth of everything it allocated. Written exactly as MemoryPack writes any
/// string, so stored data reads either way.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PooledStringAttribute : MemoryPackCustomFormatterAttribute<PooledStringFormatter, string>
{
    public override PooledStringFormatter GetFormatter() => PooledStringFormatter.Default;
}

public sealed class PooledStringFormatter : MemoryPackFormatter<string>
{
    public static readonly PooledStringFormatter Default = new();

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref string? value) =>
        writer.WriteString(value);

    /// <summary>MemoryPack's string layout: a length of UTF-16 chars, or the complement of a UTF-8 byte count followed by the UTF-16 length.</summary>
    public override void Deserialize(ref MemoryPackReader reader, scoped ref string? value)
    {
        if (!reader.TryReadCollectionHeader(out var length))
        {
            value = null;
            return;
        }
        if (length == 0)
        {
            value = "";
            return;
        }
        if (length > 0)
        {
            var byteCount = checked(length * 2);
            ref var chars = ref reader.GetSpanReference(byteCount);
            value = StringPool.Get(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, char>(ref chars), length));
            reader.Advance(byteCount);
            return;
        }
        var utf8Length = ~length;
        ref var start = ref reader.GetSpanReference(utf8Length + sizeof(int));
        value = StringPool.GetUtf8(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref start, sizeof(int)), utf8Length));
        reader.Advance(utf8Length + sizeof(int));
    }
}

/// <summary>
/// A list of field names (few distinct values, usually none at all), read back as one array of shared strings, and the
/// same empty array for an empty list, instead of a list of new strings per deal copy. Written exactly as MemoryPack
/// writes any list of strings, so stored data reads either way.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PooledStringListAttribute : MemoryPackCustomFormatterAttribute<PooledStringListFormatter, IReadOnlyList<string>>
{
    public override PooledStringListFormatter GetFormatter() => PooledStringListFormatter.Default;
}

public sealed class PooledStringListFormatter : MemoryPackFormatter<IReadOnlyList<string>>
{
    public static readonly PooledStringListFormatter Default = new();

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref IReadOnlyList<string>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        writer.WriteCollectionHeader(value.Count);
        foreach (var item in value)
            writer.WriteString(item);
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref IReadOnlyList<string>? value)
    {
        if (!reader.TryReadCollectionHeader(out var length))
        {
            value = null;
            return;
        }
        if (length == 0)
        {
            value = [];
            return;
        }
        var items = new string[length];
        for (var i = 0; i < length; i++)
        {
            string? item = null;
            PooledStringFormatter.Default.Deserialize(ref reader, ref item);
            items[i] = item!;
        }
        value = items;
    }
}

/// <summary>
/// Per-thread tables of short strings already seen. Bounded: a table that fills with values that do not repeat is
/// emptied and starts over, so the cost of a member that was wrongly pooled is the allocation it had anyway.
/// </summary>
internal static class StringPool
{
    private const int MaxChars = 64;
    private const int MaxEntries = 4096;

    [ThreadStatic]
    private static Dictionary<string, string>? _table;

    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.Length > MaxChars)
            return new string(chars);
        var table = _table ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var pooled))
            return pooled;
        if (table.Count >= MaxEntries)
            table.Clear();
        var created = new string(chars);
        table[created] = created;
        return created;
    }

    public static string GetUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxChars)
            return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxChars];
        return Utf8.ToUtf16(utf8, chars, out _, out var written) == System.Buffers.OperationStatus.Done
            ? Get(chars[..written])
            : Encoding.UTF8.GetString(utf8);
    }
}
