using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// A FastTree or FastForest ensemble flattened into arrays and evaluated directly: the same raw score as ML.NET's
/// <c>Transform</c> (summed in the same order, in double) without its per-row cursor, buffer and delegate overhead.
/// Trusted only after it reproduced ML.NET's scores on probe rows that take every branch of every split.
/// </summary>
public sealed class CompiledTrees
{
    private readonly int[] _roots;
    private readonly int[] _features;
    private readonly float[] _thresholds;
    private readonly int[] _lessOrEqual;
    private readonly int[] _greater;
    private readonly double[] _leaves;

    private CompiledTrees(int[] roots, int[] features, float[] thresholds, int[] lessOrEqual, int[] greater, double[] leaves)
    {
        (_roots, _features, _thresholds, _lessOrEqual, _greater, _leaves) = (roots, features, thresholds, lessOrEqual, greater, leaves);
    }

    public float Score(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (var root in _roots)
        {
            var node = root;
            while (node >= 0)
                node = row[_features[node]] <= _thresholds[node] ? _lessOrEqual[node] : _greater[node];
            sum += _leaves[~node];
        }
        return (float)sum;
    }

    /// <summary>Scores rows laid out one after another (<paramref name="featureCount"/> values each) into <paramref name="scores"/>.</summary>
    public void Score(ReadOnlySpan<float> rows, int featureCount, Span<float> scores)
    {
        for (var i = 0; i < scores.Length; i++)
            scores[i] = Score(rows.Slice(i * featureCount, featureCount));
    }

    /// <summary>
    /// The ensemble behind a prediction transformer, or null with the reason when it is not a numeric-split tree
    /// ensemble or does not reproduce <paramref name="reference"/>'s scores.
    /// </summary>
    public static (CompiledTrees? Trees, string? Refusal) TryCompile(ITransformer predictor, int featureCount, Func<IReadOnlyList<float[]>, IReadOnlyList<float>> reference)
    {
        var trees = TreesOf(predictor);
        if (trees is null)
            return (null, $"{predictor.GetType().Name} holds no FastTree ensemble");
        if (trees.Any(tree => tree.CategoricalSplitFlags.Any(flag => flag)))
            return (null, "the ensemble has categorical splits");

        var roots = new List<int>();
        var features = new List<int>();
        var thresholds = new List<float>();
        var lessOrEqual = new List<int>();
        var greater = new List<int>();
        var leaves = new List<double>();
        foreach (var tree in trees)
        {
            var nodeOffset = features.Count;
            var leafOffset = leaves.Count;
            int Link(int child) => child >= 0 ? child + nodeOffset : ~(~child + leafOffset);
            roots.Add(tree.NumberOfLeaves == 1 ? ~leafOffset : nodeOffset);
            for (var node = 0; node < tree.NumberOfNodes; node++)
            {
                features.Add(tree.NumericalSplitFeatureIndexes[node]);
                thresholds.Add(tree.NumericalSplitThresholds[node]);
                lessOrEqual.Add(Link(tree.LeftChild[node]));
                greater.Add(Link(tree.RightChild[node]));
            }
            leaves.AddRange(tree.LeafValues);
        }
        if (features.Any(feature => feature < 0 || feature >= featureCount))
            return (null, "a split reads a feature outside the model's feature list");

        var compiled = new CompiledTrees([.. roots], [.. features], [.. thresholds], [.. lessOrEqual], [.. greater], [.. leaves]);
        var probes = ProbeRows(featureCount, [.. features], [.. thresholds]);
        var expected = reference(probes);
        for (var i = 0; i < probes.Count; i++)
        {
            var actual = compiled.Score(probes[i]);
            if (Math.Abs(actual - expected[i]) > 1e-5 * Math.Max(1, Math.Abs(expected[i])))
                return (null, $"direct evaluation gave {actual} where ML.NET gives {expected[i]}");
        }
        return (compiled, null);
    }

    private static IReadOnlyList<RegressionTreeBase>? TreesOf(ITransformer predictor)
    {
        if (predictor is not ISingleFeaturePredictionTransformer<object> { Model: { } model })
            return null;
        // A calibrated FastTree wraps its ensemble; FastForest's binary model is the ensemble itself.
        var ensemble = model.GetType().GetProperties().Where(property => property.Name == "SubModel" && property.GetIndexParameters().Length == 0)
            .Select(property => property.GetValue(model)).FirstOrDefault(sub => sub is not null) ?? model;
        return ensemble switch
        {
            TreeEnsembleModelParametersBasedOnRegressionTree regression => regression.TrainedTreeEnsemble.Trees.Cast<RegressionTreeBase>().ToList(),
            TreeEnsembleModelParametersBasedOnQuantileRegressionTree quantile => quantile.TrainedTreeEnsemble.Trees.Cast<RegressionTreeBase>().ToList(),
            _ => null,
        };
    }

    /// <summary>Seeded rows whose values fall just below, on and just above the thresholds the trees split on, so every branch is taken.</summary>
    private static List<float[]> ProbeRows(int featureCount, int[] features, float[] thresholds)
    {
        var candidates = Enumerable.Range(0, featureCount).Select(_ => new List<float> { ModelRows.Missing, 0 }).ToArray();
        for (var node = 0; node < features.Length; node++)
        {
            var threshold = thresholds[node];
            candidates[features[node]].AddRange([threshold, MathF.BitDecrement(threshold), MathF.BitIncrement(threshold)]);
        }
        var random = new Random(17);
        var rows = new List<float[]>(256);
        for (var r = 0; r < 256; r++)
        {
            var row = new float[featureCount];
            for (var f = 0; f < featureCount; f++)
                row[f] = candidates[f][random.Next(candidates[f].Count)];
            rows.Add(row);
        }
        return rows;
    }
}
