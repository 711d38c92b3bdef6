using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>A chunk's features as one row-major <c>float</c> matrix, the names once; a missing value is NaN.</summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(IReadOnlyList<string> featureNames, int rows, float[] values)
    {
        if (values.Length != rows * featureNames.Count)
            throw new ArgumentException($"{rows} rows of {featureNames.Count} features need {rows * featureNames.Count} values, not {values.Length}.", nameof(values));
        (FeatureNames, Rows, Values) = (featureNames, rows, values);
    }

    public IReadOnlyList<string> FeatureNames { get; }
    public int Rows { get; }
    public float[] Values { get; }

    public float this[int row, int feature] => Values[row * FeatureNames.Count + feature];

    public static FeatureMatrix FromVectors(IReadOnlyList<string> featureNames, IReadOnlyList<DealFeatureVector> vectors)
    {
        var width = featureNames.Count;
        var values = new float[vectors.Count * width];
        for (var i = 0; i < vectors.Count; i++)
        {
            var row = vectors[i].Values;
            for (var f = 0; f < width; f++)
                values[i * width + f] = row[f] is { } value ? (float)value : float.NaN;
        }
        return new FeatureMatrix(featureNames, vectors.Count, values);
    }

    /// <summary>Copies a row's values in a model's feature order (<paramref name="positions"/>: -1 for a feature the chunk lacks); missing becomes <see cref="ModelRows.Missing"/>.</summary>
    public void Pick(int row, IReadOnlyList<int> positions, Span<float> into)
    {
        var start = row * FeatureNames.Count;
        for (var i = 0; i < positions.Count; i++)
        {
            var value = positions[i] >= 0 ? Values[start + positions[i]] : float.NaN;
            into[i] = float.IsNaN(value) ? ModelRows.Missing : value;
        }
    }

    /// <summary>One row as the rules read it.</summary>
    public DealFeatureVector Vector(int row, DealProfile deal)
    {
        var values = new double?[FeatureNames.Count];
        for (var f = 0; f < values.Length; f++)
            values[f] = this[row, f] is var value && float.IsNaN(value) ? null : value;
        return new DealFeatureVector { Deal = deal, Values = values };
    }
}
