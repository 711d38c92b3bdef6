using System.Text.Json;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Rules;

/// <summary>
/// Reads a rule file and checks it against the signal catalogue, listing every problem at once: malformed JSON, unknown
/// settings, levels or features, stages no open deal can be in, empty segment filters, and rules without one threshold.
/// </summary>
public static class RuleFile
{
    private static readonly string[] TopLevel = ["levels", "defaultAction", "rules"];
    private static readonly string[] Levels = ["critical", "high", "medium"];
    private static readonly string[] RuleSettings =
        ["name", "feature", "above", "atLeast", "below", "points", "group", "reason", "action", "stages", "industries", "regions", "leadSources", "products"];
    private static readonly string[] Thresholds = ["above", "atLeast", "below"];
    private static readonly string[] Required = ["name", "feature", "points", "reason"];
    private static readonly string[] Segments = ["industries", "regions", "leadSources", "products"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The rule set a file holds, or <see cref="InvalidRuleFileException"/> naming every problem.</summary>
    public static RuleSet Load(string json)
    {
        var problems = Problems(json);
        if (problems.Count > 0)
            throw new InvalidRuleFileException(problems);
        return RuleSet.Parse(json);
    }

    public static IReadOnlyList<string> Problems(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            return [$"The file is not valid JSON: {exception.Message}"];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ["The file must hold one JSON object with levels, defaultAction and rules."];
            var problems = new List<string>();
            problems.AddRange(Unknown(root, TopLevel, name => $"Unknown setting '{name}' (the file holds {List(TopLevel)})."));
            if (TryGet(root, "defaultAction", out var action) && action.ValueKind != JsonValueKind.String)
                problems.Add("'defaultAction' must be text.");
            if (TryGet(root, "levels", out var levels))
                CheckLevels(levels, problems);
            if (!TryGet(root, "rules", out var rules) || rules.ValueKind != JsonValueKind.Array || rules.GetArrayLength() == 0)
                problems.Add("The file has no rules: 'rules' must be a list of at least one rule.");
            else
                CheckRules(rules, problems);
            return problems;
        }
    }

    private static void CheckLevels(JsonElement levels, List<string> problems)
    {
        if (levels.ValueKind != JsonValueKind.Object)
        {
            problems.Add("'levels' must be an object with critical, high and medium.");
            return;
        }
        var before = problems.Count;
        problems.AddRange(Unknown(levels, Levels, name => $"Unknown level '{name}' (levels are {List(Levels)})."));
        foreach (var level in levels.EnumerateObject().Where(p => Levels.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
            if (level.Value.ValueKind != JsonValueKind.Number || !level.Value.TryGetInt32(out _))
                problems.Add($"Level '{level.Name}' must be a whole number of points.");
        if (problems.Count == before)
            problems.AddRange(RuleSet.LevelProblems(levels.Deserialize<RiskLevelThresholds>(RuleSet.Json)!));
    }

    private static void CheckRules(JsonElement rules, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            index++;
            if (rule.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"Rule #{index} must be an object.");
                continue;
            }
            var named = TryGet(rule, "name", out var name) && name.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(name.GetString());
            var label = named ? $"Rule '{name.GetString()}'" : $"Rule #{index}";
            if (named && !names.Add(name.GetString()!))
                problems.Add($"{label} is defined twice.");
            var before = problems.Count;
            problems.AddRange(Unknown(rule, RuleSettings, setting => $"{label} has unknown setting '{setting}' (a rule has {List(RuleSettings)})."));
            foreach (var missing in Required.Where(setting => !TryGet(rule, setting, out var value) || value.ValueKind == JsonValueKind.Null))
                problems.Add($"{label} has no {missing}.");
            CheckTypes(rule, label, problems);
            if (problems.Count == before)
                problems.AddRange(RuleSet.RuleProblems(rule.Deserialize<RiskRule>(RuleSet.Json)!));
            else
                problems.AddRange(FeatureAndThresholdProblems(rule, label));
        }
    }

    /// <summary>What can still be said of a rule that does not read as one, so a second look finds nothing new.</summary>
    private static IEnumerable<string> FeatureAndThresholdProblems(JsonElement rule, string label)
    {
        if (TryGet(rule, "feature", out var feature) && feature.ValueKind == JsonValueKind.String && !RiskSignals.IsKnown(feature.GetString()!))
            yield return RuleSet.UnknownFeature(label, feature.GetString()!);
        if (Thresholds.Count(threshold => TryGet(rule, threshold, out _)) != 1)
            yield return $"{label} needs exactly one of above, atLeast, below.";
    }

    private static void CheckTypes(JsonElement rule, string label, List<string> problems)
    {
        foreach (var property in rule.EnumerateObject())
        {
            var setting = RuleSettings.FirstOrDefault(s => s.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
            var kind = property.Value.ValueKind;
            var wrong = setting switch
            {
                "above" or "atLeast" or "below" => kind != JsonValueKind.Number ? "a number" : null,
                "points" => kind != JsonValueKind.Number || !property.Value.TryGetInt32(out _) ? "a whole number" : null,
                "name" or "feature" or "group" or "reason" or "action" => kind != JsonValueKind.String ? "text" : null,
                "stages" or "industries" or "regions" or "leadSources" or "products" =>
                    kind != JsonValueKind.Array || property.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String) ? "a list of text" : null,
                _ => null,
            };
            if (wrong is not null)
                problems.Add($"{label}: '{property.Name}' must be {wrong}.");
            else if (Segments.Contains(setting) && property.Value.EnumerateArray().Any(v => string.IsNullOrWhiteSpace(v.GetString())))
                problems.Add($"{label}: '{property.Name}' holds an empty value, which no deal can match.");
        }
    }

    private static IEnumerable<string> Unknown(JsonElement element, string[] known, Func<string, string> problem) =>
        element.EnumerateObject().Select(p => p.Name).Where(name => !known.Contains(name, StringComparer.OrdinalIgnoreCase)).Select(problem);

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        value = default;
        return false;
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names);
}

public sealed class InvalidRuleFileException(IReadOnlyList<string> problems)
    : InvalidOperationException($"The scoring rules are invalid:{string.Concat(problems.Select(problem => $"{Environment.NewLine}  - {problem}"))}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
