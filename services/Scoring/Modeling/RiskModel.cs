using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// A trained tree ensemble with its calibration, ready to predict: raw scores for many rows at once (the trees
/// evaluated directly once they reproduced ML.NET's scores, else one <c>Transform</c>), contributions for the rows
/// that need reasons (one <c>Transform</c>), a pool of prediction engines (not thread-safe on their own) for single deals.
/// </summary>
public sealed class RiskModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly ITransformer _scoreOnly;
    private readonly ObjectPool<PredictionEngine<ModelInput, ModelOutput>> _engines;

    public RiskModel(MLContext ml, ITransformer transformer, PlattCalibration calibration, IReadOnlyList<string> featureNames)
    {
        _ml = ml;
        _transformer = transformer;
        // The served chain is predictor then contributions; evaluation needs only the predictor's score.
        _scoreOnly = transformer is TransformerChain<ITransformer> chain && chain.Any() ? chain.First() : transformer;
        Calibration = calibration;
        FeatureNames = featureNames;
        var schema = ModelRows.Schema(featureNames.Count);
        _engines = new DefaultObjectPool<PredictionEngine<ModelInput, ModelOutput>>(
            new EnginePolicy(() => ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(transformer, inputSchemaDefinition: schema)),
            Environment.ProcessorCount * 2);
        (Trees, TreesRefusal) = CompiledTrees.TryCompile(_scoreOnly, featureNames.Count, TransformPredictions);
    }

    public PlattCalibration Calibration { get; }
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The ensemble evaluated directly, or null (with <see cref="TreesRefusal"/>) when ML.NET's <c>Transform</c> scores instead.</summary>
    public CompiledTrees? Trees { get; }
    public string? TreesRefusal { get; }

    /// <summary>Raw scores of the first <paramref name="count"/> rows laid out one after another, <see cref="FeatureNames"/> values each.</summary>
    public float[] RawScores(float[] rows, int count)
    {
        if (Trees is null)
            return [.. TransformScores(Split(rows, count))];
        var scores = new float[count];
        Trees.Score(rows.AsSpan(0, count * FeatureNames.Count), FeatureNames.Count, scores);
        return scores;
    }

    /// <summary>ML.NET's raw scores through one <c>Transform</c>: the reference the direct evaluation must reproduce.</summary>
    public IReadOnlyList<float> TransformScores(IReadOnlyList<float[]> rows) =>
        rows.Count == 0 ? [] : _scoreOnly.Transform(ModelRows.Load(_ml, rows)).GetColumn<float>("Score").ToList();

    /// <summary>Per-feature contributions to the raw score of each row (directly, else through one <c>Transform</c> of the served chain).</summary>
    public IReadOnlyList<float[]> Contributions(IReadOnlyList<float[]> rows)
    {
        if (Trees is null)
            return [.. TransformPredictions(rows).Select(prediction => prediction.Contributions)];
        return [.. rows.Select(row =>
        {
            var contributions = new float[FeatureNames.Count];
            Trees.Contributions(row, contributions);
            return contributions;
        })];
    }

    /// <summary>ML.NET's raw scores and contributions through one <c>Transform</c> of the served chain.</summary>
    public IReadOnlyList<(float Score, float[] Contributions)> TransformPredictions(IReadOnlyList<float[]> rows) =>
        rows.Count == 0
            ? []
            : [.. _ml.Data.CreateEnumerable<ModelOutput>(_transformer.Transform(ModelRows.Load(_ml, rows)), reuseRowObject: false)
                .Select(output => (output.Score, output.FeatureContributions))];

    private float[][] Split(float[] rows, int count)
    {
        var split = new float[count][];
        for (var i = 0; i < count; i++)
            split[i] = rows.AsSpan(i * FeatureNames.Count, FeatureNames.Count).ToArray();
        return split;
    }

    /// <summary>Raw scores only, without contributions: for evaluation, calibration checks and permutation importance.</summary>
    public IReadOnlyList<float> Scores(IReadOnlyList<float[]> rows) =>
        Trees is { } trees ? rows.Select(row => trees.Score(row)).ToList() : TransformScores(rows);

    public RiskPrediction PredictOne(float[] row)
    {
        var engine = _engines.Get();
        try
        {
            var output = engine.Predict(new ModelInput { Features = row });
            return new RiskPrediction(output.Score, Calibration.Probability(output.Score), output.FeatureContributions.ToArray());
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(_transformer, _ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>(), ModelRows.Schema(FeatureNames.Count)).Schema, stream);
        return stream.ToArray();
    }

    /// <summary>Loads saved model bytes; throws when they are not a model for this feature list.</summary>
    public static RiskModel Load(byte[] bytes, PlattCalibration calibration, IReadOnlyList<string> featureNames, int seed)
    {
        var ml = new MLContext(seed);
        using var stream = new MemoryStream(bytes);
        var transformer = ml.Model.Load(stream, out _);
        var model = new RiskModel(ml, transformer, calibration, featureNames);
        var probe = model.PredictOne(new float[featureNames.Count]);
        if (probe.Contributions.Length != featureNames.Count || float.IsNaN(probe.Score))
            throw new InvalidDataException($"The model does not fit its {featureNames.Count} features (it gives {probe.Contributions.Length} contributions).");
        return model;
    }

    private sealed class EnginePolicy(Func<PredictionEngine<ModelInput, ModelOutput>> create) : IPooledObjectPolicy<PredictionEngine<ModelInput, ModelOutput>>
    {
        public PredictionEngine<ModelInput, ModelOutput> Create() => create();
        public bool Return(PredictionEngine<ModelInput, ModelOutput> engine) => true;
    }
}

/// <summary>One deal's raw score, its calibrated probability of loss, and how much each feature pushed it.</summary>
public sealed record RiskPrediction(float Score, double LossProbability, float[] Contributions);
