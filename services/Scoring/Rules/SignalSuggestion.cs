using DealRisk.Contracts;

namespace DealRisk.Scoring.Rules;

/// <summary>The catalogued signal a misspelt feature name most likely meant, for a rule file's problem list.</summary>
internal static class SignalSuggestion
{
    private const int MaximumEdits = 3;

    public static string For(string feature)
    {
        var closest = RiskSignals.Names.MinBy(name => Distance(name, feature.ToLowerInvariant()));
        return closest is not null && Distance(closest, feature.ToLowerInvariant()) <= MaximumEdits ? $" (did you mean '{closest}'?)" : " (see the signal table in the README)";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
