using DealRisk.Scoring.Modeling;

namespace DealRisk.Scoring.Tests;

public sealed class HoldoutMetricsTests
{
    [Fact]
    public void Roc_auc_is_one_when_every_lost_deal_scores_above_every_won_deal_and_zero_when_reversed()
    {
        bool[] lost = [true, true, false, false];

        Assert.Equal(1.0, HoldoutMetrics.RocAuc([0.9, 0.8, 0.2, 0.1], lost));
        Assert.Equal(0.0, HoldoutMetrics.RocAuc([0.1, 0.2, 0.8, 0.9], lost));
        Assert.Equal(0.5, HoldoutMetrics.RocAuc([0.5, 0.5, 0.5, 0.5], lost));
        Assert.Equal(0.75, HoldoutMetrics.RocAuc([0.9, 0.3, 0.5, 0.1], lost));
    }

    [Fact]
    public void Precision_and_recall_count_deals_at_or_above_the_alert_probability()
    {
        var metrics = HoldoutMetrics.Compute([0.9, 0.6, 0.7, 0.2, 0.1], [true, true, false, true, false], alertProbability: 0.55);

        Assert.Equal(2 / 3.0, metrics.PrecisionAtAlert, 9);
        Assert.Equal(2 / 3.0, metrics.RecallAtAlert, 9);
        Assert.Equal((0.01 + 0.16 + 0.49 + 0.64 + 0.01) / 5, metrics.BrierScore, 9);
        Assert.Equal(5, metrics.HoldoutDeals);
    }

    [Fact]
    public void Platt_calibration_turns_higher_scores_into_higher_loss_probabilities_that_match_the_base_rate()
    {
        var random = new Random(3);
        var scores = new List<float>();
        var lost = new List<bool>();
        for (var i = 0; i < 2000; i++)
        {
            var score = (float)(random.NextDouble() * 4 - 2);
            scores.Add(score);
            lost.Add(random.NextDouble() < 1 / (1 + Math.Exp(-2 * score)));
        }

        var calibration = PlattCalibration.Fit(scores, lost);

        Assert.True(calibration.Probability(1.5) > calibration.Probability(-1.5));
        Assert.Equal(lost.Count(l => l) / 2000.0, scores.Average(s => calibration.Probability(s)), 2);
        Assert.InRange(calibration.Probability(1), 0.80, 0.93);
    }
}
