using DealRisk.Contracts;

namespace DealRisk.Notification.Tests;

/// <summary>Track records as scoring publishes them, with figures shaped like a real one and segment names from a hostile CRM.</summary>
internal static class TrackRecords
{
    public const string HostileIndustry = "<img src=x onerror=\"window.__xss=1\">Retail & <b>Co</b>";
    public const string FormulaRegion = "=HYPERLINK(\"http://x\")";
    public const string MultiLineRegion = "North\nAmerica";
    public const string ModelVersion = "fasttree-20240701-030000-abc123";

    public static TrackRecordUpdated Sample(DateTimeOffset computedAt, string trigger = "training", DateOnly? asOf = null) => new()
    {
        CorrelationId = Guid.NewGuid(),
        Trigger = trigger,
        AsOf = asOf,
        BatchId = asOf is null ? null : Guid.NewGuid(),
        ComputedAt = computedAt,
        EvaluatedAt = computedAt,
        ServedScorer = "model",
        ServedModelVersion = ModelVersion,
        TrainedTo = new DateOnly(2024, 3, 31),
        HighThreshold = 55,
        CriticalThreshold = 75,
        MinimumSegmentDeals = 50,
        Evaluations =
        [
            Evaluation("model", ModelVersion, ScorerEvaluation.Populations.Holdout, deals: 812, skill: 0.8, seed: 1),
            Evaluation("rules", null, ScorerEvaluation.Populations.Holdout, deals: 812, skill: 0.35, seed: 2),
            Evaluation("model", ModelVersion, ScorerEvaluation.Populations.ClosedSinceTraining, deals: 164, skill: 0.7, seed: 3),
            Evaluation("rules", null, ScorerEvaluation.Populations.ClosedSinceTraining, deals: 57, skill: 0.3, seed: 4),
        ],
        Drift =
        [
            new FeatureDriftState { Feature = "days_since_last_activity", Importance = 0.061, Psi = 0.04, State = "stable" },
            new FeatureDriftState { Feature = "days_in_stage_ratio", Importance = 0.044, Psi = 0.17, State = "watch" },
            new FeatureDriftState { Feature = "close_date_pushes", Importance = 0.031, Psi = 0.31, State = "shifted" },
        ],
        DriftAsOf = new DateOnly(2024, 6, 30),
    };

    /// <summary>Segments as scoring sends them: only those with at least 50 closed deals.</summary>
    private static ScorerEvaluation Evaluation(string scorer, string? version, string population, int deals, double skill, int seed) => new()
    {
        Scorer = scorer,
        ModelVersion = version,
        Population = population,
        Figures = Figures(deals, skill, seed),
        Segments = new SegmentFigures[]
        {
            new SegmentFigures { Dimension = "industry", Name = HostileIndustry, Figures = Figures(deals / 2, skill, seed + 10) },
            new SegmentFigures { Dimension = "industry", Name = "Healthcare", Figures = Figures(deals / 3, skill * 0.8, seed + 20) },
            new SegmentFigures { Dimension = "region", Name = FormulaRegion, Figures = Figures(deals / 2, skill, seed + 30) },
            new SegmentFigures { Dimension = "region", Name = MultiLineRegion, Figures = Figures(deals / 2, skill, seed + 40) },
        }
        .Where(segment => segment.Figures.Deals >= 50).ToList(),
    };

    /// <summary>Consistent figures: a higher skill bends the reliability curve toward the diagonal and flags lost deals earlier.</summary>
    private static TrackRecordFigures Figures(int deals, double skill, int seed)
    {
        var random = new Random(seed);
        var lost = deals * 45 / 100;
        var bins = Enumerable.Range(0, 10).Select(b => new CalibrationBin
        {
            From = b / 10.0,
            To = (b + 1) / 10.0,
            Count = 20 + random.Next(0, 120),
            MeanPredicted = b / 10.0 + 0.05,
            ObservedLossRate = Math.Clamp(0.45 + (b / 10.0 + 0.05 - 0.45) * skill + (random.NextDouble() - 0.5) * 0.08, 0, 1),
        }).ToList();
        var leadTimes = Enumerable.Range(0, (int)(lost * (0.3 + skill / 2))).Select(_ => (int)(random.NextDouble() * random.NextDouble() * 220 * skill)).Order().ToList();
        var highFlagged = (int)(deals * 0.4);
        var criticalFlagged = (int)(deals * 0.15);
        return new TrackRecordFigures
        {
            Deals = deals,
            LostDeals = lost,
            Scores = deals * 3,
            RocAuc = 0.5 + skill * 0.4,
            PrAuc = 0.45 + skill * 0.35,
            Calibration = bins,
            High = new FlagPrecision { Flagged = highFlagged, FlaggedLost = (int)(highFlagged * (0.5 + skill / 3)), Precision = Math.Round(0.5 + skill / 3, 4) },
            Critical = new FlagPrecision { Flagged = criticalFlagged, FlaggedLost = (int)(criticalFlagged * (0.55 + skill / 3)), Precision = Math.Round(0.55 + skill / 3, 4) },
            LeadTimes = leadTimes.GroupBy(d => d).Select(g => new LeadTime { Days = g.Key, LostDeals = g.Count() }).ToList(),
        };
    }
}
