using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
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

    [ThreadStatic]
    private static Utf8StringTable? _utf8Table;

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

    /// <summary>Looked up by the bytes themselves: MemoryPack writes strings as UTF-8, and decoding a value already seen would cost more than finding it.</summary>
    public static string GetUtf8(ReadOnlySpan<byte> utf8) =>
        utf8.Length > MaxChars ? Encoding.UTF8.GetString(utf8) : (_utf8Table ??= new Utf8StringTable(MaxEntries)).Get(utf8);
}

/// <summary>
/// Strings by their UTF-8 bytes in an open-addressed table at most half full, hashed on the length and the first and
/// last eight bytes: the values pooled are short names that differ there, and a collision only costs one more compare.
/// The same bytes always decode to the same string, so a value read from invalid UTF-8 is pooled like any other.
/// </summary>
internal sealed class Utf8StringTable
{
    private readonly int _maxEntries;
    private readonly byte[]?[] _keys;
    private readonly string?[] _values;
    private int _count;

    public Utf8StringTable(int maxEntries)
    {
        _maxEntries = maxEntries;
        var slots = (int)BitOperations.RoundUpToPowerOf2((uint)maxEntries * 2);
        _keys = new byte[]?[slots];
        _values = new string?[slots];
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        var mask = _keys.Length - 1;
        var slot = Hash(utf8) & mask;
        while (_keys[slot] is { } key)
        {
            if (utf8.SequenceEqual(key))
                return _values[slot]!;
            slot = (slot + 1) & mask;
        }
        var value = Encoding.UTF8.GetString(utf8);
        if (_count >= _maxEntries)
        {
            Array.Clear(_keys);
            Array.Clear(_values);
            _count = 0;
            slot = Hash(utf8) & mask;
        }
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        _count++;
        return value;
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = (ulong)bytes.Length * 0x9E3779B97F4A7C15UL;
        if (bytes.Length >= sizeof(ulong))
        {
            hash = (hash ^ MemoryMarshal.Read<ulong>(bytes)) * 0xFF51AFD7ED558CCDUL;
            hash = (hash ^ MemoryMarshal.Read<ulong>(bytes[^sizeof(ulong)..])) * 0xC4CEB9FE1A85EC53UL;
        }
        else
        {
            foreach (var b in bytes)
                hash = (hash ^ b) * 0x100000001B3UL;
        }
        return (int)(hash >> 32);
    }
}
