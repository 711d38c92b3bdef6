using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

/// <summary>What no honest model shows: one field that alone tells the outcome, a holdout too good to be true, a calibration that turns the ranking around.</summary>
public sealed class LeakageGuardTests
{
    [Fact]
    public void A_field_holding_the_closing_value_is_refused_as_suspected_leakage_naming_it()
    {
        var leaky = TrainingData.Examples(1200, amountByOutcome: (lost, random) => lost ? 0 : random.Next(5, 90) * 1000);

        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, leaky);

        Assert.Null(run.Promoted);
        Assert.Equal("rules", run.Result.Served);
        Assert.Equal(["amount"], run.Result.SuspectedLeaks);
        Assert.StartsWith("Model refused, suspected leakage: amount alone ranks the holdout at ROC-AUC 1.000", run.Result.Decision);
        Assert.All(run.Result.Candidates, candidate => Assert.StartsWith("suspected leakage: amount", candidate.GateReason));
    }

    [Fact]
    public void The_same_examples_without_the_leak_pass_the_guard()
    {
        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(1200));

        Assert.Empty(run.Result.SuspectedLeaks);
        Assert.NotNull(run.Promoted);
        Assert.All(run.Result.Candidates, candidate => Assert.InRange(candidate.Metrics.RocAuc, 0.70, 0.95));
    }

    [Fact]
    public void A_field_present_only_for_one_outcome_leaks_through_its_absence_and_is_named()
    {
        var leaky = TrainingData.Examples(1200, amountByOutcome: (lost, random) => lost ? null : random.Next(5, 90) * 1000);

        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, leaky);

        Assert.Null(run.Promoted);
        Assert.Contains("amount", run.Result.SuspectedLeaks);
    }

    [Fact]
    public void A_holdout_roc_auc_too_good_to_be_true_is_refused_as_suspected_leakage()
    {
        var gate = new ModelGate(1, 1);
        var increasing = new PlattCalibration(-1, 0);

        Assert.Equal(
            "suspected leakage: holdout ROC-AUC 0.970 is implausibly high (at least 0.95) for deals scored while open; some field likely records the outcome",
            gate.Refusal(Metrics(0.97), Metrics(0.60), 300, 300, increasing, []));
        Assert.Null(gate.Refusal(Metrics(0.90), Metrics(0.60), 300, 300, increasing, []));
    }

    [Fact]
    public void A_calibration_fit_that_is_not_increasing_is_refused_because_it_would_invert_the_ranking()
    {
        var scores = Enumerable.Range(0, 400).Select(i => (float)(i / 100.0 - 2)).ToList();
        var lostWhenLow = scores.Select(score => score < 0).ToList();

        var inverted = PlattCalibration.Fit(scores, lostWhenLow);

        Assert.False(inverted.IsIncreasing);
        Assert.True(PlattCalibration.Fit(scores, lostWhenLow.Select(lost => !lost).ToList()).IsIncreasing);
        Assert.StartsWith("its calibration is not increasing", new ModelGate(1, 1).Refusal(Metrics(0.80), Metrics(0.60), 300, 300, inverted, []));
    }

    [Fact]
    public void The_gate_judges_the_scores_served_so_a_calibration_that_flattens_the_ranking_cannot_pass()
    {
        var raw = Enumerable.Range(0, 200).Select(i => (float)(i / 100.0 - 1)).ToList();
        var lost = raw.Select(score => score > 0).ToList();
        var flat = new PlattCalibration(-1e-4, 0);

        var served = TrainingJob.ServedRisk(flat, raw);

        Assert.Equal(1.0, HoldoutMetrics.RocAuc(raw.Select(score => (double)score).ToList(), lost));
        Assert.All(served, risk => Assert.Equal(50, risk));
        Assert.Equal(0.5, HoldoutMetrics.RocAuc(served.Select(risk => (double)risk).ToList(), lost));
    }

    [Fact]
    public void A_feature_present_in_training_but_missing_on_open_deals_is_left_out_of_the_model_by_name()
    {
        var examples = TrainingData.Examples(1200);
        var openNow = TrainingData.Examples(300, seed: 8)
            .Select(example => new PopulationSnapshot { At = TrainingData.Start.AddYears(1), Values = WithoutAmount(example.Vector.Values) })
            .ToList();

        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, examples, openNow: openNow);

        Assert.Equal(["amount (present in 100% of training snapshots, 0% of open deals)"], run.Result.LeftOutFeatures);
        Assert.Contains("Left out of the models, as training snapshots and open deals disagree on them: amount (present in 100%", run.Result.Decision);
        Assert.All(run.Models, model => Assert.DoesNotContain("amount", model.FeatureNames));
        Assert.NotNull(run.Promoted);
    }

    [Fact]
    public void Open_deals_like_the_training_snapshots_leave_every_feature_in()
    {
        var examples = TrainingData.Examples(1200);
        var openNow = TrainingData.Examples(300, seed: 8).Select(example => new PopulationSnapshot { At = TrainingData.Start.AddYears(1), Values = example.Vector.Values }).ToList();

        Assert.Empty(new TrainServeCheck().Mismatches(Names, examples, openNow));
    }

    [Fact]
    public void A_feature_whose_open_values_lie_outside_anything_training_saw_is_left_out_by_name()
    {
        var examples = TrainingData.Examples(1200);
        var openNow = TrainingData.Examples(300, seed: 8)
            .Select(example => new PopulationSnapshot { At = TrainingData.Start.AddYears(1), Values = Scaled(example.Vector.Values, "deal_age_days", 1000) })
            .ToList();

        var mismatch = Assert.Single(new TrainServeCheck().Mismatches(Names, examples, openNow));

        Assert.Equal("deal_age_days", mismatch.Feature);
        Assert.Matches(@"^deal_age_days \(100% of open deals lie outside the 5 to 119 seen in training\)$", mismatch.Describe());
    }

    private static IReadOnlyList<double?> Scaled(IReadOnlyList<double?> values, string feature, double factor)
    {
        var copy = values.ToArray();
        var index = Names.ToList().IndexOf(feature);
        copy[index] *= factor;
        return copy;
    }

    private static IReadOnlyList<double?> WithoutAmount(IReadOnlyList<double?> values)
    {
        var copy = values.ToArray();
        copy[Names.ToList().IndexOf("amount")] = null;
        return copy;
    }

    private static ModelMetrics Metrics(double auc) => new()
    {
        RocAuc = auc, PrAuc = 0, PrecisionAtAlert = 0, RecallAtAlert = 0, BrierScore = 0, HoldoutDeals = 0,
    };
}
