using System.Text.Json;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Rules;

/// <summary>One risk rule: when the feature crosses the threshold (optionally only in some stages or segments) it adds points, a reason and an action.</summary>
public sealed record RiskRule
{
    public required string Name { get; init; }
    public required string Feature { get; init; }
    public double? Above { get; init; }
    public double? AtLeast { get; init; }
    public double? Below { get; init; }
    public required int Points { get; init; }
    /// <summary>Rules in one group are tiers of the same signal: only the highest-scoring one that fires counts.</summary>
    public string? Group { get; init; }
    /// <summary>Plain-words reason; <c>{value}</c> and <c>{stage}</c> are filled in.</summary>
    public required string Reason { get; init; }
    /// <summary>What to do when this rule weighs most; left out, the signal's default action.</summary>
    public string Action { get; init; } = "";
    public IReadOnlyList<string>? Stages { get; init; }
    public IReadOnlyList<string>? Industries { get; init; }
    public IReadOnlyList<string>? Regions { get; init; }
    public IReadOnlyList<string>? LeadSources { get; init; }
    public IReadOnlyList<string>? Products { get; init; }
}

public sealed record RiskLevelThresholds
{
    public int Critical { get; init; } = 75;
    public int High { get; init; } = 55;
    public int Medium { get; init; } = 30;
}

/// <summary>The rule configuration: rules, level thresholds and the action for a deal no rule fires on.</summary>
public sealed record RuleSet
{
    public RiskLevelThresholds Levels { get; init; } = new();
    public string DefaultAction { get; init; } = "Keep momentum: confirm the next step with the buyer";
    public required IReadOnlyList<RiskRule> Rules { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads a rule file without checking it (<see cref="RuleFile.Load"/> checks); a rule without an action takes its signal's.</summary>
    public static RuleSet Parse(string json)
    {
        var rules = JsonSerializer.Deserialize<RuleSet>(json, Json) ?? throw new InvalidOperationException("The rule file is empty.");
        return rules with { Rules = [.. rules.Rules.Select(rule => string.IsNullOrWhiteSpace(rule.Action) ? rule with { Action = DefaultActionOf(rule, rules) } : rule)] };
    }

    private static string DefaultActionOf(RiskRule rule, RuleSet rules) => RiskSignals.Find(rule.Feature)?.DefaultAction ?? rules.DefaultAction;

    /// <summary>The original rule set plus the signals the leading products use, shipped as the default configuration.</summary>
    public static RuleSet Default()
    {
        using var stream = typeof(RuleSet).Assembly.GetManifestResourceStream("DealRisk.Scoring.default-rules.json")
                           ?? throw new InvalidOperationException("default-rules.json is not embedded.");
        using var reader = new StreamReader(stream);
        return RuleFile.Load(reader.ReadToEnd());
    }

    /// <summary>Every problem with this configuration, checked against the signal catalogue.</summary>
    public IEnumerable<string> Problems() => LevelProblems(Levels).Concat(Rules.SelectMany(RuleProblems));

    internal static IEnumerable<string> LevelProblems(RiskLevelThresholds levels)
    {
        if (levels.Critical <= levels.High || levels.High <= levels.Medium || levels.Medium <= 0)
            yield return $"Level thresholds must satisfy critical > high > medium > 0 (got {levels.Critical}, {levels.High}, {levels.Medium}).";
    }

    internal static IEnumerable<string> RuleProblems(RiskRule rule)
    {
        if (!RiskSignals.IsKnown(rule.Feature))
            yield return UnknownFeature($"Rule '{rule.Name}'", rule.Feature);
        if (new[] { rule.Above, rule.AtLeast, rule.Below }.Count(t => t is not null) != 1)
            yield return $"Rule '{rule.Name}' needs exactly one of above, atLeast, below.";
        foreach (var stage in rule.Stages ?? [])
            if (!DealStages.OpenStages.Contains(stage, StringComparer.OrdinalIgnoreCase))
                yield return $"Rule '{rule.Name}' names stage '{stage}', which no open deal is in (stages are {string.Join(", ", DealStages.OpenStages)}).";
        if (string.IsNullOrWhiteSpace(rule.Reason))
            yield return $"Rule '{rule.Name}' has an empty reason.";
    }

    internal static string UnknownFeature(string label, string feature) =>
        $"{label} uses unknown feature '{feature}'{SignalSuggestion.For(feature)}.";
}
