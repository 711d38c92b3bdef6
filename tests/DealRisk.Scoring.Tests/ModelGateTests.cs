using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ModelGateTests
{
    [Fact]
    public void A_training_set_below_the_minimum_is_refused_with_a_message_naming_the_counts()
    {
        var gate = new ModelGate(200, 200);

        Assert.Null(gate.RefuseTrainingSet(200, 250));
        Assert.Equal(
            "Training set refused: 150 won and 420 lost deals closed in the training window; at least 200 won and 200 lost are needed.",
            gate.RefuseTrainingSet(150, 420));
    }

    [Fact]
    public void A_model_must_beat_the_rules_by_more_than_noise_to_pass()
    {
        var gate = new ModelGate(1, 1, MinimumAucGain: 0.02);

        Assert.False(gate.Passes(Metrics(0.52), Metrics(0.51), holdoutWon: 500, holdoutLost: 500));
        Assert.False(gate.Passes(Metrics(0.55), Metrics(0.51), holdoutWon: 100, holdoutLost: 100));
        Assert.True(gate.Passes(Metrics(0.80), Metrics(0.66), holdoutWon: 300, holdoutLost: 300));
    }

    [Fact]
    public void The_training_job_refuses_too_little_history_and_trains_nothing()
    {
        var run = TrainingData.Job(minimumWon: 200, minimumLost: 200).Run(Guid.NewGuid(), Names, TrainingData.Examples(300));

        Assert.True(run.Result.Refused);
        Assert.Empty(run.Models);
        Assert.Null(run.Promoted);
        Assert.Matches(@"^Training set refused: \d+ won and \d+ lost deals", run.Result.Decision);
        Assert.Equal("rules", run.Result.Served);
    }

    [Fact]
    public void On_planted_signals_both_trainers_are_kept_with_metrics_and_the_better_one_is_promoted()
    {
        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(1200));

        Assert.Equal(["FastForest", "FastTree"], run.Models.Select(model => model.Trainer));
        Assert.NotNull(run.Promoted);
        Assert.Equal(run.Result.Candidates.Where(c => c.PassedGate).MaxBy(c => c.Metrics.RocAuc)!.ModelVersion, run.Promoted.ModelVersion);
        Assert.All(run.Models, model =>
        {
            Assert.True(model.Metrics.RocAuc > model.RulesMetrics.RocAuc + 0.05, $"{model.Trainer} {model.Metrics.RocAuc:0.000} vs rules {model.RulesMetrics.RocAuc:0.000}");
            Assert.Equal(Names, model.FeatureNames);
            Assert.Equal(900, model.WonDeals + model.LostDeals);
            Assert.Equal(300, model.Metrics.HoldoutDeals);
            Assert.True(model.TrainedFrom <= model.TrainedTo);
            Assert.Contains(model.FeatureImportances.Take(2), i => i.Feature == "days_since_last_activity");
            Assert.Equal(Names.Count, model.DriftReference.Count);
        });
        Assert.Contains("days_since_last_activity", run.Promoted.RequiredFeatures);
        Assert.DoesNotContain("rep_win_rate", run.Promoted.RequiredFeatures);
    }

    private static ModelMetrics Metrics(double auc) => new()
    {
        RocAuc = auc, PrAuc = 0, PrecisionAtAlert = 0, RecallAtAlert = 0, BrierScore = 0, HoldoutDeals = 0,
    };
}
