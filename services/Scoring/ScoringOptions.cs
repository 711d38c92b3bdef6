using System.ComponentModel.DataAnnotations;

namespace DealRisk.Scoring;

/// <summary>Configuration section <c>Scoring</c>.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>A JSON rule file replacing the shipped default rules (thresholds per stage or segment live there).</summary>
    public string? RulesFile { get; set; }

    /// <summary>The gate serves no model trained on fewer won deals than this.</summary>
    [Range(1, int.MaxValue)]
    public int MinimumWonDeals { get; set; } = 200;

    /// <summary>The gate serves no model trained on fewer lost deals than this.</summary>
    [Range(1, int.MaxValue)]
    public int MinimumLostDeals { get; set; } = 200;

    /// <summary>A model must beat the rules' holdout ROC-AUC by at least this much (and by twice its standard error) to be served.</summary>
    [Range(0, 0.5)]
    public double MinimumAucGain { get; set; } = 0.02;

    /// <summary>Share of closed deals, the most recently closed, held out to evaluate models and rules.</summary>
    [Range(0.05, 0.5)]
    public double HoldoutShare { get; set; } = 0.25;

    public int Seed { get; set; } = 42;

    /// <summary>Where each trained model's metrics, feature-importance CSV and plot are written.</summary>
    public string ModelDirectory { get; set; } = "results/models";

    /// <summary>PSI above this on one of the model's most important features switches scoring to rules.</summary>
    [Range(0.01, 10)]
    public double DriftPsiThreshold { get; set; } = 0.25;

    /// <summary>How many of the model's most important features are watched for drift.</summary>
    [Range(1, 100)]
    public int DriftWatchedFeatures { get; set; } = 5;

    /// <summary>A batch chunk smaller than this is too small to judge drift on.</summary>
    [Range(1, int.MaxValue)]
    public int DriftMinimumDeals { get; set; } = 200;

    /// <summary>Won and lost deals each, closed since the served model's training, needed before its AUC is compared with the rules'.</summary>
    [Range(1, int.MaxValue)]
    public int HealthMinimumDeals { get; set; } = 50;

    /// <summary>The track record shows an industry or region only when at least this many of its deals closed.</summary>
    [Range(1, int.MaxValue)]
    public int TrackRecordMinimumSegmentDeals { get; set; } = 50;

    /// <summary>How often the scheduled retrain runs; zero turns it off.</summary>
    public TimeSpan RetrainEvery { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a training run's claim outlives its last renewal (renewed every third of it while training): a replica that
    /// died mid-run leaves a claim the redelivered run takes over once it has expired.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "1.00:00:00")]
    public TimeSpan TrainingLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the engine checks whether to train by itself (no model served, and no training yet or too little history last time); zero turns it off.</summary>
    public TimeSpan AutoTrainCheckEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A holdout ROC-AUC at least this high is refused as suspected leakage: no deal is that predictable while open.</summary>
    [Range(0.5, 1)]
    public double LeakageModelAuc { get; set; } = 0.95;

    /// <summary>A model is refused as suspected leakage when one of its features alone ranks the holdout at this ROC-AUC or more.</summary>
    [Range(0.5, 1)]
    public double LeakageFeatureAuc { get; set; } = 0.90;

    /// <summary>A feature whose presence differs by at least this share between training snapshots and open deals, or with this share of open values outside the training range, is left out of the model.</summary>
    [Range(0.05, 1)]
    public double TrainServeMaximumShift { get; set; } = 0.5;
}
