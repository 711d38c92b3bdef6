using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// A column of strings in a batch chunk, each distinct value stored once: stages, owners, reasons and actions repeat
/// across thousands of rows, so a chunk carries them once and the reader shares one string per value.
/// </summary>
[MemoryPackable]
public sealed partial class StringColumn
{
    /// <summary>The distinct values.</summary>
    public string[] Values { get; init; } = [];

    /// <summary>Per row, the position of its value in <see cref="Values"/>; -1 for null.</summary>
    public int[] Rows { get; init; } = [];

    [MemoryPackIgnore]
    public int Count => Rows.Length;

    public string? this[int row] => Rows[row] < 0 ? null : Values[Rows[row]];

    public static StringColumn Of(IEnumerable<string?> rows)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<string>();
        int PositionOf(string? value)
        {
            if (value is null)
                return -1;
            if (!positions.TryGetValue(value, out var position))
            {
                position = values.Count;
                positions[value] = position;
                values.Add(value);
            }
            return position;
        }

        int[] indexes;
        // A Select over a list knows its count: the rows are written in place instead of grown in a list and copied.
        if (rows.TryGetNonEnumeratedCount(out var count))
        {
            indexes = new int[count];
            var row = 0;
            foreach (var value in rows)
                indexes[row++] = PositionOf(value);
        }
        else
        {
            indexes = [.. rows.Select(PositionOf)];
        }
        return new StringColumn { Values = [.. values], Rows = indexes };
    }

    /// <summary>Throws <see cref="InvalidChunkPayloadException"/> when a row points outside the values or the row count is not <paramref name="rows"/>.</summary>
    public void Check(string name, int rows)
    {
        if (Rows.Length != rows)
            throw new InvalidChunkPayloadException($"column {name} has {Rows.Length} rows, expected {rows}");
        foreach (var position in Rows)
            if (position < -1 || position >= Values.Length)
                throw new InvalidChunkPayloadException($"column {name} points at value {position} of {Values.Length}");
    }
}
