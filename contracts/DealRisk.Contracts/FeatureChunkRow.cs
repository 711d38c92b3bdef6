using System.Collections;

namespace DealRisk.Contracts;

/// <summary>
/// One deal's feature values read in place from a chunk's matrix, where NaN stands for a missing value: a batch chunk's
/// deals are scored from their rows without each row copied out into an array of its own.
/// </summary>
internal sealed class FeatureChunkRow(double[] matrix, int start, int width) : IReadOnlyList<double?>
{
    public int Count => width;

    public double? this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)width, nameof(index));
            var value = matrix[start + index];
            return double.IsNaN(value) ? null : value;
        }
    }

    public IEnumerator<double?> GetEnumerator()
    {
        for (var index = 0; index < width; index++)
            yield return this[index];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
