using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Trains a seeded FastForest or FastTree on time-ordered rows: the trees learn from the older part, the Platt
/// calibration from the newest <see cref="CalibrationShare"/>, and a feature-contribution step is appended for reasons.
/// </summary>
public sealed class ModelTrainer(int seed)
{
    public const string FastForest = "FastForest";
    public const string FastTree = "FastTree";
    public const double CalibrationShare = 0.2;

    public static IReadOnlyList<string> Trainers { get; } = [FastForest, FastTree];

    public RiskModel Train(string trainer, IReadOnlyList<float[]> rows, IReadOnlyList<bool> lost, IReadOnlyList<string> featureNames)
    {
        var ml = new MLContext(seed);
        var fitCount = (int)(rows.Count * (1 - CalibrationShare));
        var fitRows = rows.Take(fitCount).ToList();
        var fitLabels = lost.Take(fitCount).ToList();
        var data = ModelRows.Load(ml, fitRows, fitLabels);
        var (predictor, transformer) = trainer switch
        {
            FastForest => WithContributions(ml, data, ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                NumberOfTrees = 100,
                NumberOfLeaves = 64,
                MinimumExampleCountPerLeaf = 5,
                FeatureFraction = 0.5,
            }).Fit(data), featureNames.Count),
            FastTree => WithContributions(ml, data, ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = 100,
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 20,
                LearningRate = 0.05,
            }).Fit(data), featureNames.Count),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Unknown trainer."),
        };

        // Calibration needs only the raw score, not the contributions the served chain computes.
        var calibrationRows = rows.Skip(fitCount).ToList();
        var scores = calibrationRows.Count == 0
            ? []
            : predictor.Transform(ModelRows.Load(ml, calibrationRows)).GetColumn<float>("Score").ToList();
        var calibration = PlattCalibration.Fit(scores, lost.Skip(fitCount).ToList());
        return new RiskModel(ml, transformer, calibration, featureNames);
    }

    private static (ITransformer Predictor, ITransformer Served) WithContributions<TModel>(MLContext ml, IDataView data, BinaryPredictionTransformer<TModel> predictor, int featureCount)
        where TModel : class, Microsoft.ML.Trainers.ICalculateFeatureContribution
    {
        var contributions = ml.Transforms.CalculateFeatureContribution(predictor, featureCount, featureCount, normalize: false).Fit(predictor.Transform(data));
        return (predictor, new TransformerChain<ITransformer>(predictor, contributions));
    }

    private static (ITransformer Predictor, ITransformer Served) WithContributions<TModel, TCalibrator>(
        MLContext ml, IDataView data, BinaryPredictionTransformer<Microsoft.ML.Calibrators.CalibratedModelParametersBase<TModel, TCalibrator>> predictor, int featureCount)
        where TModel : class, Microsoft.ML.Trainers.ICalculateFeatureContribution
        where TCalibrator : class, Microsoft.ML.Calibrators.ICalibrator
    {
        var contributions = ml.Transforms.CalculateFeatureContribution(predictor, featureCount, featureCount, normalize: false).Fit(predictor.Transform(data));
        return (predictor, new TransformerChain<ITransformer>(predictor, contributions));
    }
}
