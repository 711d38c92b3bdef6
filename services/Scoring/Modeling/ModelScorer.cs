using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Scores with the served model: risk is the calibrated loss probability × 100, the level comes from the rules'
/// thresholds, reasons from the features that pushed this deal's score up most, the action from the rules that
/// watch the dominant one. A deal missing a feature the model relies on is scored by the rules and says so.
/// </summary>
public sealed class ModelScorer(RuleScorer rules)
{
    public const string ScorerName = "model";

    public IReadOnlyList<DealRiskScore> Score(FeaturesComputed computed, ServedRiskModel served, bool batch)
    {
        var positions = ModelRows.Positions(served.Record.FeatureNames, computed.FeatureNames);
        var ruleIndex = RuleScorer.FeatureIndex(computed.FeatureNames);
        var required = served.Record.RequiredFeatures.Select(feature => (Feature: feature, Position: ruleIndex.GetValueOrDefault(feature, -1))).ToList();
        var scores = new DealRiskScore[computed.Deals.Count];
        var modelled = new List<int>(computed.Deals.Count);
        for (var i = 0; i < computed.Deals.Count; i++)
        {
            var missing = required.Where(r => r.Position < 0 || computed.Deals[i].Values[r.Position] is null).Select(r => r.Feature).ToList();
            if (missing.Count == 0)
            {
                modelled.Add(i);
                continue;
            }
            var byRules = rules.Score(computed.Deals[i], ruleIndex);
            scores[i] = byRules with { Reasons = [.. byRules.Reasons, $"Scored by rules: missing {string.Join(", ", missing)}"] };
        }

        var rows = modelled.Select(i => ModelRows.Pick(computed.Deals[i].Values, positions)).ToList();
        var predictions = batch ? served.Model.PredictMany(rows) : rows.Select(served.Model.PredictOne).ToList();
        for (var k = 0; k < modelled.Count; k++)
        {
            var i = modelled[k];
            scores[i] = Describe(computed.Deals[i], predictions[k], rows[k], served.Record);
        }
        return scores;
    }

    /// <summary>The 0–100 risk served for a loss probability.</summary>
    public static int RiskOf(double lossProbability) => (int)Math.Round(Math.Clamp(lossProbability, 0, 1) * 100);

    private DealRiskScore Describe(DealFeatureVector vector, RiskPrediction prediction, float[] row, ModelRecord record)
    {
        var risk = RiskOf(prediction.LossProbability);
        var pushing = Enumerable.Range(0, record.FeatureNames.Count)
            .Where(f => prediction.Contributions[f] > 0)
            .OrderByDescending(f => prediction.Contributions[f])
            .Select(f => (Feature: record.FeatureNames[f], Value: ModelRows.IsMissing(row[f]) ? (double?)null : row[f], Contribution: prediction.Contributions[f], Reason: ReasonPhrases.Describe(record.FeatureNames[f], ModelRows.IsMissing(row[f]) ? null : row[f], vector.Deal)))
            .Where(r => r.Reason is not null)
            .Take(RuleScorer.MaxReasons)
            .ToList();
        var reasons = pushing.Select(r => r.Reason!).ToList();
        if (vector.Deal.DataQualityFlag)
            reasons.Add($"Data incomplete: missing {string.Join(", ", vector.Deal.MissingFields)}");
        return new DealRiskScore
        {
            Deal = vector.Deal,
            Score = risk,
            Level = rules.LevelOf(risk),
            Reasons = reasons,
            Factors = [.. pushing.Select(p => new ScoreReason { Signal = p.Feature, Value = p.Value, Points = Math.Round(p.Contribution, 4) })],
            Action = pushing.Count > 0 ? ActionFor(pushing[0].Feature) : rules.Rules.DefaultAction,
            Scorer = ScorerName,
            ModelVersion = record.ModelVersion,
            Contributions = [.. Enumerable.Range(0, record.FeatureNames.Count).Where(f => prediction.Contributions[f] != 0)
                .Select(f => new ScoreReason { Signal = record.FeatureNames[f], Value = ModelRows.IsMissing(row[f]) ? null : row[f], Points = prediction.Contributions[f] })],
            RawScore = prediction.Score,
        };
    }

    private string ActionFor(string feature) =>
        rules.Rules.Rules.Where(rule => rule.Feature == feature).OrderByDescending(rule => rule.Points).FirstOrDefault()?.Action
        ?? rules.Rules.DefaultAction;
}

/// <summary>The model scoring serves, loaded, with the record it came from.</summary>
public sealed record ServedRiskModel(ModelRecord Record, RiskModel Model);
