using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Rules;

/// <summary>
/// Transparent, additive rule scoring capped at 100: every fired rule adds its points and its reason; the action
/// comes from the rule that weighs most. A feature that is missing fires nothing, and the deal says what was missing.
/// </summary>
public sealed class RuleScorer
{
    public const string ScorerName = "rules";
    public const int MaxReasons = 3;

    /// <summary>Refuses a rule set that does not hold up against the signal catalogue, so no rule is silently dead.</summary>
    public RuleScorer(RuleSet rules)
    {
        var problems = rules.Problems().ToList();
        if (problems.Count > 0)
            throw new InvalidRuleFileException(problems);
        Rules = rules;
    }

    public RuleSet Rules { get; }

    public IReadOnlyList<DealRiskScore> Score(FeaturesComputed computed)
    {
        var index = FeatureIndex(computed.FeatureNames);
        var scores = new List<DealRiskScore>(computed.Deals.Count);
        foreach (var deal in computed.Deals)
            scores.Add(Score(deal, index));
        return scores;
    }

    public DealRiskScore Score(DealFeatureVector vector, IReadOnlyDictionary<string, int> featureIndex)
    {
        var fired = new Dictionary<string, (RiskRule Rule, double Value)>();
        foreach (var rule in Rules.Rules)
        {
            if (!featureIndex.TryGetValue(rule.Feature, out var position) || vector.Values[position] is not { } value)
                continue;
            if (!Applies(rule, vector.Deal) || !Crosses(rule, value))
                continue;
            var group = rule.Group ?? rule.Name;
            if (!fired.TryGetValue(group, out var current) || current.Rule.Points < rule.Points)
                fired[group] = (rule, value);
        }

        var ordered = fired.Values.OrderByDescending(f => f.Rule.Points).ToList();
        var score = Math.Min(100, ordered.Sum(f => f.Rule.Points));
        var reasons = ordered.Take(MaxReasons).Select(f => Describe(f.Rule, f.Value, vector.Deal)).ToList();
        if (vector.Deal.DataQualityFlag)
            reasons.Add($"Data incomplete: missing {string.Join(", ", vector.Deal.MissingFields)}");

        return new DealRiskScore
        {
            Deal = vector.Deal,
            Score = score,
            Level = LevelOf(score),
            Reasons = reasons,
            Factors = [.. ordered.Select(f => new ScoreReason { Signal = f.Rule.Feature, Value = f.Value, Points = f.Rule.Points, Rule = f.Rule.Name })],
            Action = ordered.Count > 0 ? ordered[0].Rule.Action : Rules.DefaultAction,
            Scorer = ScorerName,
        };
    }

    public string LevelOf(int score) =>
        score >= Rules.Levels.Critical ? RiskLevels.Critical
        : score >= Rules.Levels.High ? RiskLevels.High
        : score >= Rules.Levels.Medium ? RiskLevels.Medium
        : RiskLevels.Low;

    public static IReadOnlyDictionary<string, int> FeatureIndex(IReadOnlyList<string> names)
    {
        var index = new Dictionary<string, int>(names.Count);
        for (var i = 0; i < names.Count; i++) index[names[i]] = i;
        return index;
    }

    private static bool Crosses(RiskRule rule, double value) =>
        (rule.Above is not { } above || value > above)
        && (rule.AtLeast is not { } atLeast || value >= atLeast)
        && (rule.Below is not { } below || value < below);

    private static bool Applies(RiskRule rule, DealProfile deal) =>
        In(rule.Stages, deal.Stage) && In(rule.Industries, deal.Industry) && In(rule.Regions, deal.Region)
        && In(rule.LeadSources, deal.LeadSource) && In(rule.Products, deal.Product);

    private static bool In(IReadOnlyList<string>? allowed, string? value) =>
        allowed is null || allowed.Count == 0 || (value is not null && allowed.Contains(value, StringComparer.OrdinalIgnoreCase));

    private static string Describe(RiskRule rule, double value, DealProfile deal) =>
        rule.Reason
            .Replace("{value}", Math.Abs(value - Math.Round(value)) < 1e-9
                ? value.ToString("0", CultureInfo.InvariantCulture)
                : value.ToString("0.##", CultureInfo.InvariantCulture))
            .Replace("{stage}", deal.Stage);
}
