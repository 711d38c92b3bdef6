using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// A trained tree ensemble with its calibration, ready to predict: batch <c>Transform</c> for chunks, a pool of
/// prediction engines (not thread-safe on their own) for single deals. Output: loss probability and per-feature contributions.
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
    }

    public PlattCalibration Calibration { get; }
    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<RiskPrediction> PredictMany(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0) return [];
        var scored = _transformer.Transform(ModelRows.Load(_ml, rows));
        var predictions = new List<RiskPrediction>(rows.Count);
        foreach (var output in _ml.Data.CreateEnumerable<ModelOutput>(scored, reuseRowObject: false))
            predictions.Add(new RiskPrediction(output.Score, Calibration.Probability(output.Score), output.FeatureContributions));
        return predictions;
    }

    /// <summary>Raw scores only, without contributions: for evaluation, calibration checks and permutation importance.</summary>
    public IReadOnlyList<float> Scores(IReadOnlyList<float[]> rows) =>
        rows.Count == 0 ? [] : _scoreOnly.Transform(ModelRows.Load(_ml, rows)).GetColumn<float>("Score").ToList();

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
