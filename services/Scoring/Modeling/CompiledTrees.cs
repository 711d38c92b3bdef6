using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// A FastTree or FastForest ensemble flattened into one node array and evaluated directly: the same raw score and
/// feature contributions as ML.NET's <c>Transform</c> (same arithmetic, same order) without its per-row cursor,
/// buffer and thread hand-offs. Trusted only after it reproduced ML.NET's scores and contributions on probe rows
/// that take every branch of every split.
/// </summary>
public sealed class CompiledTrees
{
    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly double[] _leaves;
    private readonly int _featureCount;
    private readonly LockstepTrees _lockstep;

    private CompiledTrees(int[] roots, Node[] nodes, double[] leaves, int featureCount)
    {
        (_roots, _nodes, _leaves, _featureCount) = (roots, nodes, leaves, featureCount);
        _lockstep = LockstepTrees.Of(roots, nodes, leaves);
    }

    public float Score(ReadOnlySpan<float> row)
    {
        CheckWidth(row);
        double sum = 0;
        foreach (var root in _roots)
            sum += _leaves[~LeafFrom(root, row)];
        return (float)sum;
    }

    /// <summary>
    /// How much each feature moved this row's raw score, as ML.NET computes it: at every split on the row's path, the
    /// row's leaf value minus the leaf it would reach had that split gone the other way.
    /// </summary>
    public void Contributions(ReadOnlySpan<float> row, Span<float> into)
    {
        CheckWidth(row);
        into.Clear();
        foreach (var root in _roots)
        {
            if (root < 0) continue;
            var output = _leaves[~LeafFrom(root, row)];
            var node = root;
            while (node >= 0)
            {
                ref readonly var split = ref _nodes[node];
                int otherWay;
                (node, otherWay) = row[split.Feature] <= split.Threshold ? (split.LessOrEqual, split.Greater) : (split.Greater, split.LessOrEqual);
                into[split.Feature] += (float)(output - _leaves[~LeafFrom(otherWay, row)]);
            }
        }
    }

    /// <summary>The (complemented) leaf a row reaches from a node; bounds were checked when the trees were compiled and the row's width on entry.</summary>
    private int LeafFrom(int node, ReadOnlySpan<float> row)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var values = ref MemoryMarshal.GetReference(row);
        while (node >= 0)
        {
            ref readonly var split = ref Unsafe.Add(ref nodes, node);
            node = Unsafe.Add(ref values, split.Feature) <= split.Threshold ? split.LessOrEqual : split.Greater;
        }
        return node;
    }

    private void CheckWidth(ReadOnlySpan<float> row)
    {
        if (row.Length < _featureCount)
            throw new ArgumentException($"A row of {row.Length} values for a model of {_featureCount} features.", nameof(row));
    }

    /// <summary>
    /// Scores rows laid out one after another (<paramref name="featureCount"/> values each) into <paramref name="scores"/>:
    /// eight at a time in lockstep (<see cref="LockstepTrees"/>), the rest one by one.
    /// </summary>
    public void Score(ReadOnlySpan<float> rows, int featureCount, Span<float> scores)
    {
        if (featureCount < _featureCount || rows.Length < scores.Length * featureCount)
            throw new ArgumentException($"{scores.Length} rows of {featureCount} values in {rows.Length} for a model of {_featureCount} features.", nameof(rows));
        var scored = _lockstep.Score(rows, featureCount, scores);
        for (var i = scored; i < scores.Length; i++)
            scores[i] = Score(rows.Slice(i * featureCount, featureCount));
    }

    /// <summary>
    /// The ensemble behind a prediction transformer, or null with the reason when it is not a numeric-split tree
    /// ensemble or does not reproduce <paramref name="reference"/>'s scores.
    /// </summary>
    public static (CompiledTrees? Trees, string? Refusal) TryCompile(
        ITransformer predictor, int featureCount, Func<IReadOnlyList<float[]>, IReadOnlyList<(float Score, float[] Contributions)>> reference)
    {
        var trees = TreesOf(predictor);
        if (trees is null)
            return (null, $"{predictor.GetType().Name} holds no FastTree ensemble");
        if (trees.Any(tree => tree.CategoricalSplitFlags.Any(flag => flag)))
            return (null, "the ensemble has categorical splits");

        var roots = new List<int>();
        var nodes = new List<Node>();
        var leaves = new List<double>();
        foreach (var tree in trees)
        {
            var nodeOffset = nodes.Count;
            var leafOffset = leaves.Count;
            int Link(int child) => child >= 0 ? child + nodeOffset : ~(~child + leafOffset);
            roots.Add(tree.NumberOfLeaves == 1 ? ~leafOffset : nodeOffset);
            for (var node = 0; node < tree.NumberOfNodes; node++)
                nodes.Add(new Node(tree.NumericalSplitFeatureIndexes[node], tree.NumericalSplitThresholds[node], Link(tree.LeftChild[node]), Link(tree.RightChild[node])));
            leaves.AddRange(tree.LeafValues);
        }
        if (nodes.Any(node => node.Feature < 0 || node.Feature >= featureCount))
            return (null, "a split reads a feature outside the model's feature list");
        if (nodes.Any(node => node.LessOrEqual >= nodes.Count || node.Greater >= nodes.Count || ~node.LessOrEqual >= leaves.Count || ~node.Greater >= leaves.Count)
            || roots.Any(root => root >= nodes.Count || ~root >= leaves.Count))
            return (null, "a split points outside the ensemble");

        var compiled = new CompiledTrees([.. roots], [.. nodes], [.. leaves], featureCount);
        var probes = ProbeRows(featureCount, nodes);
        var expected = reference(probes);
        var contributions = new float[featureCount];
        var inLockstep = new float[probes.Count];
        compiled.Score(probes.SelectMany(row => row).ToArray(), featureCount, inLockstep);
        for (var i = 0; i < probes.Count; i++)
        {
            var actual = compiled.Score(probes[i]);
            if (!Close(actual, expected[i].Score))
                return (null, $"direct evaluation gave the score {actual} where ML.NET gives {expected[i].Score}");
            if (inLockstep[i] != actual)
                return (null, $"evaluation in lockstep gave the score {inLockstep[i]} where one row alone gives {actual}");
            compiled.Contributions(probes[i], contributions);
            for (var f = 0; f < featureCount; f++)
            {
                if (!Close(contributions[f], expected[i].Contributions[f]))
                    return (null, $"direct evaluation gave feature {f} the contribution {contributions[f]} where ML.NET gives {expected[i].Contributions[f]}");
            }
        }
        return (compiled, null);
    }

    private static bool Close(float actual, float expected) => Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected));

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
    private static List<float[]> ProbeRows(int featureCount, IReadOnlyList<Node> nodes)
    {
        var candidates = Enumerable.Range(0, featureCount).Select(_ => new List<float> { ModelRows.Missing, 0 }).ToArray();
        foreach (var node in nodes)
            candidates[node.Feature].AddRange([node.Threshold, MathF.BitDecrement(node.Threshold), MathF.BitIncrement(node.Threshold)]);
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

    /// <summary>A split: rows whose feature value is at most the threshold go one way; a negative link is a complemented leaf index.</summary>
    internal readonly record struct Node(int Feature, float Threshold, int LessOrEqual, int Greater);
}
