using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.ServiceDefaults;

namespace DealRisk.Scoring;

/// <summary>What one scoring pass adds to the domain metrics: deals by scorer and level, the served model's ROC-AUC, rescore latency.</summary>
public static class ScoringMetrics
{
    public static void Record(DealScored scored, ModelRecord? model, DateTimeOffset now)
    {
        if (Rehearsal.InProgress)
            return;
        foreach (var level in scored.Scores.GroupBy(score => score.Level))
            DealRiskMetrics.DealsScored.Add(level.Count(), Tag("scorer", scored.Scorer), Tag("level", level.Key));
        if (model is not null)
            DealRiskMetrics.ModelRocAuc.Record(model.Metrics.RocAuc, Tag("scorer", scored.Scorer));
        if (scored.Batch is null)
            DealRiskMetrics.RescoreLatency.Record(Math.Max(0, (now - scored.AsOf).TotalSeconds), Tag("scorer", scored.Scorer));
    }

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
