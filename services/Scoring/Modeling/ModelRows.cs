using Microsoft.ML;
using Microsoft.ML.Data;

namespace DealRisk.Scoring.Modeling;

/// <summary>One row as ML.NET sees it: the feature vector and whether the deal was lost.</summary>
public sealed class ModelInput
{
    public bool Label { get; set; }
    public float[] Features { get; set; } = [];
}

public sealed class ModelOutput
{
    public float Score { get; set; }
    public float[] FeatureContributions { get; set; } = [];
}

public static class ModelRows
{
    /// <summary>Stands for a missing value: FastTree drops rows with NaN, and a value far below any real one lets the trees split missing apart.</summary>
    public const float Missing = -9999f;

    public static bool IsMissing(float value) => value <= Missing;

    public static float[] FromValues(IReadOnlyList<double?> values)
    {
        var row = new float[values.Count];
        for (var i = 0; i < row.Length; i++)
            row[i] = values[i] is { } value ? (float)value : Missing;
        return row;
    }

    public static SchemaDefinition Schema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(ModelInput));
        schema[nameof(ModelInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    public static IDataView Load(MLContext ml, IReadOnlyList<float[]> rows, IReadOnlyList<bool>? lost = null)
    {
        var inputs = new ModelInput[rows.Count];
        for (var i = 0; i < rows.Count; i++)
            inputs[i] = new ModelInput { Features = rows[i], Label = lost?[i] ?? false };
        return ml.Data.LoadFromEnumerable(inputs, Schema(rows.Count > 0 ? rows[0].Length : 0));
    }

    /// <summary>The values a model was trained on, picked by name from a message's feature list; null becomes <see cref="Missing"/>.</summary>
    public static float[] Pick(IReadOnlyList<double?> values, IReadOnlyList<int> positions)
    {
        var row = new float[positions.Count];
        for (var i = 0; i < positions.Count; i++)
            row[i] = positions[i] >= 0 && values[positions[i]] is { } value ? (float)value : Missing;
        return row;
    }

    public static int[] Positions(IReadOnlyList<string> modelFeatures, IReadOnlyList<string> messageFeatures)
    {
        var index = new Dictionary<string, int>(messageFeatures.Count);
        for (var i = 0; i < messageFeatures.Count; i++) index[messageFeatures[i]] = i;
        return modelFeatures.Select(name => index.GetValueOrDefault(name, -1)).ToArray();
    }
}
