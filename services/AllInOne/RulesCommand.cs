using System.CommandLine;
using DealRisk.Scoring.Rules;

namespace DealRisk.AllInOne;

/// <summary><c>dealrisk rules check &lt;file&gt;</c>: the start-up check of a rule file, for an analyst before deploying it; <c>rules signals</c>: what a rule can name.</summary>
public static class RulesCommand
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Unreadable = 2;

    public static Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "The rule file (JSON) to check" };
        var check = new Command("check", "Check a rule file against the signal catalogue, as the scoring service does at start-up; lists every problem.") { file };
        check.SetAction(parse => Check(parse.GetValue(file)!, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        var signals = new Command("signals", "List the signals a rule can name: unit, meaning, how a reason reads and the default action.");
        signals.SetAction(parse => parse.InvocationConfiguration.Output.Write(SignalTable.Markdown()));
        return new Command("rules", "Check rule files and list the signals they can use.") { check, signals };
    }

    public static int Check(FileInfo file, TextWriter output, TextWriter error)
    {
        string json;
        try
        {
            json = File.ReadAllText(file.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot read {file.FullName}: {exception.Message}");
            return Unreadable;
        }

        var problems = RuleFile.Problems(json);
        if (problems.Count > 0)
        {
            error.WriteLine($"{file.Name}: {problems.Count} {(problems.Count == 1 ? "problem" : "problems")}; the scoring service would refuse to start with it:");
            foreach (var problem in problems)
                error.WriteLine($"  - {problem}");
            return Invalid;
        }
        var rules = RuleSet.Parse(json);
        output.WriteLine($"{file.Name}: valid. {rules.Rules.Count} rules on {rules.Rules.Select(rule => rule.Feature).Distinct().Count()} signals; "
                         + $"levels CRITICAL ≥ {rules.Levels.Critical}, HIGH ≥ {rules.Levels.High}, MEDIUM ≥ {rules.Levels.Medium}.");
        return Valid;
    }
}
