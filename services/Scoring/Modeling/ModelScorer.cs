using DealRisk.Contracts;
using DealRisk.Scoring.Rules;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Scores with the served model: risk is the calibrated loss probability × 100, the level comes from the model's own
/// cut-offs, reasons (for HIGH and CRITICAL deals, the ones people act on) from the features that pushed this deal's
/// score up most, the action from the rules that watch the dominant one. A deal missing a feature the model relies
/// on is scored by the rules and says so.
/// </summary>
public sealed class ModelScorer(RuleScorer rules)
{
    public const string ScorerName = "model";

    public IReadOnlyList<DealRiskScore> Score(FeaturesComputed computed, ServedRiskModel served, bool batch)
    {
        if (!batch)
            return [.. computed.Deals.Select(vector => ScoreOne(vector, computed.FeatureNames, served))];
        var features = FeatureMatrix.FromVectors(computed.FeatureNames, computed.Deals);
        return Score(features, computed.Deals.Select(vector => vector.Deal).ToList(), served, i => computed.Deals[i]);
    }

    /// <summary>Scores a chunk given as a matrix: one row per deal, missing values NaN.</summary>
    public IReadOnlyList<DealRiskScore> Score(FeatureMatrix features, IReadOnlyList<DealProfile> deals, ServedRiskModel served) =>
        Score(features, deals, served, i => features.Vector(i, deals[i]));

    private IReadOnlyList<DealRiskScore> Score(FeatureMatrix features, IReadOnlyList<DealProfile> deals, ServedRiskModel served, Func<int, DealFeatureVector> vectorOf)
    {
        var record = served.Record;
        var cutoffs = CutoffsOf(record);
        var width = record.FeatureNames.Count;
        var positions = ModelRows.Positions(record.FeatureNames, features.FeatureNames);
        var required = RequiredPositions(record, features.FeatureNames);
        var ruleIndex = RuleScorer.FeatureIndex(features.FeatureNames);
        var scores = new DealRiskScore[features.Rows];
        var modelled = new List<int>(features.Rows);
        var rows = new float[features.Rows * width];
        for (var i = 0; i < features.Rows; i++)
        {
            if (MissingRequired(features, i, required) is { } missing)
            {
                scores[i] = ByRules(vectorOf(i), ruleIndex, missing);
                continue;
            }
            features.Pick(i, positions, rows.AsSpan(modelled.Count * width, width));
            modelled.Add(i);
        }

        var raw = served.Model.RawScores(rows, modelled.Count);
        var flagged = new List<int>();
        var risks = new int[modelled.Count];
        for (var k = 0; k < modelled.Count; k++)
        {
            risks[k] = RiskOf(served.Model.Calibration.Probability(raw[k]));
            if (ModelLevelCutoffs.FlagsHighOrWorse(cutoffs.LevelOf(risks[k]))) flagged.Add(k);
        }
        var contributions = served.Model.Contributions(flagged.Select(k => rows.AsSpan(k * width, width).ToArray()).ToList());
        var flaggedAt = 0;
        for (var k = 0; k < modelled.Count; k++)
        {
            var row = rows.AsSpan(k * width, width);
            var pushed = flaggedAt < flagged.Count && flagged[flaggedAt] == k ? contributions[flaggedAt++] : null;
            scores[modelled[k]] = Describe(deals[modelled[k]], risks[k], raw[k], row, pushed, pushed, record, cutoffs);
        }
        return scores;
    }

    private DealRiskScore ScoreOne(DealFeatureVector vector, IReadOnlyList<string> featureNames, ServedRiskModel served)
    {
        var record = served.Record;
        var index = RuleScorer.FeatureIndex(featureNames);
        var missing = record.RequiredFeatures.Where(feature => !index.TryGetValue(feature, out var p) || vector.Values[p] is null).ToList();
        if (missing.Count > 0)
            return ByRules(vector, index, missing);
        var row = ModelRows.Pick(vector.Values, ModelRows.Positions(record.FeatureNames, featureNames));
        var prediction = served.Model.PredictOne(row);
        var cutoffs = CutoffsOf(record);
        var risk = RiskOf(prediction.LossProbability);
        var pushed = ModelLevelCutoffs.FlagsHighOrWorse(cutoffs.LevelOf(risk)) ? prediction.Contributions : null;
        return Describe(vector.Deal, risk, prediction.Score, row, pushed, prediction.Contributions, record, cutoffs);
    }

    /// <summary>The 0–100 risk served for a loss probability.</summary>
    public static int RiskOf(double lossProbability) => (int)Math.Round(Math.Clamp(lossProbability, 0, 1) * 100);

    private static ModelLevelCutoffs CutoffsOf(ModelRecord record) =>
        record.LevelCutoffs ?? throw new InvalidDataException($"Model {record.ModelVersion} has no level cut-offs of its own (trained before they were kept): retrain it.");

    private static (string Feature, int Position)[] RequiredPositions(ModelRecord record, IReadOnlyList<string> featureNames)
    {
        var index = RuleScorer.FeatureIndex(featureNames);
        return [.. record.RequiredFeatures.Select(feature => (feature, index.GetValueOrDefault(feature, -1)))];
    }

    private static List<string>? MissingRequired(FeatureMatrix features, int row, (string Feature, int Position)[] required)
    {
        List<string>? missing = null;
        foreach (var (feature, position) in required)
        {
            if (position >= 0 && !float.IsNaN(features[row, position])) continue;
            (missing ??= []).Add(feature);
        }
        return missing;
    }

    private DealRiskScore ByRules(DealFeatureVector vector, IReadOnlyDictionary<string, int> featureIndex, IReadOnlyList<string> missing)
    {
        var byRules = rules.Score(vector, featureIndex);
        return byRules with { Reasons = [.. byRules.Reasons, $"Scored by rules: missing {string.Join(", ", missing)}"] };
    }

    /// <param name="contributions">What the reasons are taken from: computed for HIGH and CRITICAL deals only.</param>
    /// <param name="kept">Every feature's contribution, kept in the score history for movement: all of them where computed.</param>
    private DealRiskScore Describe(
        DealProfile deal, int risk, float rawScore, ReadOnlySpan<float> row, float[]? contributions, float[]? kept, ModelRecord record, ModelLevelCutoffs cutoffs)
    {
        var pushing = contributions is null ? [] : StrongestReasons(deal, row, contributions, record.FeatureNames);
        var reasons = new List<string>(pushing.Count + 1);
        foreach (var push in pushing) reasons.Add(push.Reason);
        if (deal.DataQualityFlag)
            reasons.Add($"Data incomplete: missing {string.Join(", ", deal.MissingFields)}");
        return new DealRiskScore
        {
            Deal = deal,
            Score = risk,
            Level = cutoffs.LevelOf(risk),
            Reasons = reasons,
            Factors = pushing.Count == 0 ? [] : [.. pushing.Select(p => new ScoreReason { Signal = p.Feature, Value = p.Value, Points = Math.Round(p.Contribution, 4) })],
            Action = pushing.Count > 0 ? ActionFor(pushing[0].Feature) : rules.Rules.DefaultAction,
            Scorer = ScorerName,
            ModelVersion = record.ModelVersion,
            Contributions = kept is null ? null : Kept(kept, row, record.FeatureNames),
            RawScore = rawScore,
        };
    }

    private static List<ScoreReason> Kept(float[] contributions, ReadOnlySpan<float> row, IReadOnlyList<string> featureNames)
    {
        var kept = new List<ScoreReason>();
        for (var f = 0; f < featureNames.Count; f++)
            if (contributions[f] != 0)
                kept.Add(new ScoreReason { Signal = featureNames[f], Value = ModelRows.IsMissing(row[f]) ? null : row[f], Points = contributions[f] });
        return kept;
    }

    /// <summary>The features that pushed the score up most and can be put in words, strongest first, at most <see cref="RuleScorer.MaxReasons"/>.</summary>
    private static List<(string Feature, double? Value, float Contribution, string Reason)> StrongestReasons(
        DealProfile deal, ReadOnlySpan<float> row, float[] contributions, IReadOnlyList<string> featureNames)
    {
        var order = new int[contributions.Length];
        var keys = new float[contributions.Length];
        for (var f = 0; f < order.Length; f++) (order[f], keys[f]) = (f, -contributions[f]);
        Array.Sort(keys, order);
        var strongest = new List<(string, double?, float, string)>(RuleScorer.MaxReasons);
        foreach (var f in order)
        {
            if (contributions[f] <= 0 || strongest.Count == RuleScorer.MaxReasons) break;
            double? value = ModelRows.IsMissing(row[f]) ? null : row[f];
            if (ReasonPhrases.Describe(featureNames[f], value, deal) is { } reason)
                strongest.Add((featureNames[f], value, contributions[f], reason));
        }
        return strongest;
    }

    private string ActionFor(string feature) =>
        rules.Rules.Rules.Where(rule => rule.Feature == feature).OrderByDescending(rule => rule.Points).FirstOrDefault()?.Action
        ?? RiskSignals.Find(feature)?.DefaultAction
        ?? rules.Rules.DefaultAction;
}

/// <summary>The model scoring serves, loaded, with the record it came from.</summary>
public sealed record ServedRiskModel(ModelRecord Record, RiskModel Model);
