using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ScoringMetricsTests : ScoringHostTest
{
    [Fact]
    public async Task A_rescored_deal_is_counted_by_scorer_and_level_and_its_rescore_latency_recorded()
    {
        using var measurements = new MetricMeasurements(DealRiskMetrics.MeterName);
        var computed = Computed(Vector(Deal(DealStages.Demo, "M-1") with { Version = 2 }, ("deal_age_days", 45), ("partner_lead", 1))) with
        {
            AsOf = DateTimeOffset.UtcNow.AddSeconds(-3),
        };

        await Host.DeliverAsync(computed);

        Assert.Contains(measurements.Of("dealrisk_deals_scored"), m => m.Tag("scorer") == "rules" && m.Tag("level") == RiskLevels.Low && m.Value >= 1);
        Assert.Contains(measurements.Of("dealrisk_rescore_latency"), m => m.Tag("scorer") == "rules" && m.Value >= 3);
    }

    [Fact]
    public void Each_watched_feature_s_PSI_is_recorded_when_a_population_is_judged_for_drift()
    {
        using var measurements = new MetricMeasurements(DealRiskMetrics.MeterName);
        var monitor = new DriftMonitor(PsiThreshold: 0.25, WatchedFeatures: 3, MinimumDeals: 100);
        var random = new Random(3);
        var chunk = Computed(Enumerable.Range(0, 200)
            .Select(i => Vector(Deal(id: $"P-{i}"), ("days_since_last_activity", 100 + random.Next(0, 50)), ("close_date_pushes", random.Next(0, 5)),
                ("contact_count", random.Next(1, 6)), ("deal_age_days", random.Next(5, 120)), ("amount", 20_000)))
            .ToArray());

        var shifted = DriftMonitor.Shifted(monitor.Measure(TrainingData.Model, monitor.Tally(TrainingData.Model, chunk)));

        var psi = measurements.Of("dealrisk_feature_psi");
        foreach (var drift in shifted)
            Assert.Contains(psi, m => m.Tag("feature") == drift.Feature && Math.Abs(m.Value - drift.Psi) < 1e-9);
        Assert.True(psi.Select(m => m.Tag("feature")).Distinct().Count() >= shifted.Count && psi.Count > 0);
    }
}
