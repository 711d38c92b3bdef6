using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ModelLevelCutoffsTests
{
    private static readonly RiskLevelThresholds RuleLevels = new();

    [Fact]
    public void Each_level_flags_the_share_of_the_holdout_the_rules_flag_at_that_level()
    {
        // Rules on ten holdout rows: one CRITICAL, two more HIGH, three more MEDIUM: shares 0.1, 0.3 and 0.6.
        int[] ruleRisk = [80, 60, 56, 40, 35, 30, 20, 10, 0, 5];
        // The model scores them as calibrated probabilities, all well above the rules' 75/55/30.
        int[] modelRisk = [97, 93, 91, 88, 86, 84, 80, 76, 70, 65];
        bool[] lost = [true, true, false, true, false, false, false, false, false, false];

        var cutoffs = ModelLevelCutoffs.MatchingRules(modelRisk, ruleRisk, lost, RuleLevels);

        Assert.Equal((97, 91, 84), (cutoffs.Critical, cutoffs.High, cutoffs.Medium));
        Assert.Equal((0.1, 0.3, 0.6), (cutoffs.CriticalShare, cutoffs.HighShare, cutoffs.MediumShare));
        Assert.Equal(1.0, cutoffs.CriticalPrecision);
        Assert.Equal(0.6667, cutoffs.HighPrecision);
        Assert.Equal([RiskLevels.Critical, RiskLevels.High, RiskLevels.High, RiskLevels.Medium, RiskLevels.Medium, RiskLevels.Medium, RiskLevels.Low],
            modelRisk.Take(7).Select(cutoffs.LevelOf));
    }

    [Fact]
    public void A_level_the_rules_never_give_on_the_holdout_is_never_given_by_the_model_either()
    {
        int[] ruleRisk = [50, 40, 20, 10];
        int[] modelRisk = [100, 90, 30, 10];

        var cutoffs = ModelLevelCutoffs.MatchingRules(modelRisk, ruleRisk, [true, false, false, false], RuleLevels);

        Assert.Equal((ModelLevelCutoffs.Never, ModelLevelCutoffs.Never), (cutoffs.Critical, cutoffs.High));
        Assert.Equal(RiskLevels.Medium, cutoffs.LevelOf(100));
    }

    [Fact]
    public void Ties_in_the_model_scores_resolve_to_the_higher_cutoff_so_no_more_deals_are_flagged_than_the_rules_flag()
    {
        int[] ruleRisk = [80, 10, 10, 10];
        int[] modelRisk = [70, 70, 20, 10];

        var cutoffs = ModelLevelCutoffs.MatchingRules(modelRisk, ruleRisk, [true, false, false, false], RuleLevels);

        // Share 0.25 lies between 0 (cut-off 71) and 0.5 (cut-off 70), equally far: the model flags no one rather than two.
        Assert.Equal(ModelLevelCutoffs.Never, cutoffs.Critical);
    }

    [Fact]
    public void A_trained_model_keeps_cutoffs_that_flag_its_holdout_as_often_as_the_rules_do()
    {
        var examples = TrainingData.Examples(1200);
        var run = TrainingData.Job().Run(Guid.NewGuid(), Names, examples);
        var record = run.Promoted!;
        var cutoffs = record.LevelCutoffs!;

        // The newest quarter of the deals is the holdout; score it as served and by the rules.
        var holdout = examples.OrderBy(e => e.ClosedAt).Skip(900).ToList();
        var model = RiskModel.Load(record.ModelBytes, new PlattCalibration(record.CalibrationA, record.CalibrationB), record.FeatureNames, record.Seed);
        var positions = ModelRows.Positions(record.FeatureNames, Names);
        var served = TrainingJob.ServedRisk(model.Calibration, model.Scores(holdout.Select(e => ModelRows.Pick(e.Vector.Values, positions)).ToList()));
        var rules = new RuleScorer(RuleSet.Default());
        var ruleRisk = holdout.Select(e => rules.Score(e.Vector, RuleScorer.FeatureIndex(Names)).Score).ToList();

        double Share(IEnumerable<int> risk, int cutoff) => risk.Count(r => r >= cutoff) / (double)holdout.Count;
        Assert.Equal(Share(ruleRisk, 55), cutoffs.HighShare, 3);
        Assert.InRange(Share(served, cutoffs.High), cutoffs.HighShare - 0.03, cutoffs.HighShare + 0.03);
        Assert.InRange(Share(served, cutoffs.Critical), cutoffs.CriticalShare - 0.03, cutoffs.CriticalShare + 0.03);
        Assert.True(cutoffs.High <= cutoffs.Critical && cutoffs.Medium <= cutoffs.High);
        Assert.True(Share(served, 55) > cutoffs.HighShare + 0.05,
            $"on this data the rules' 55 would flag {Share(served, 55):0.00} of the holdout from the model against the rules' {cutoffs.HighShare:0.00}: the test would not tell the cut-offs apart");
        Assert.Equal(record.Metrics.PrecisionAtAlert, cutoffs.HighPrecision, 3);
    }
}
