using System.CommandLine;
using DealRisk.Testing;

namespace DealRisk.AllInOne.Tests;

public sealed class RulesCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dealrisk-rules-{Guid.NewGuid():N}.json");

    [Fact]
    public void Checking_the_shipped_rules_says_they_are_valid_and_exits_0()
    {
        File.Copy(RepositoryFiles.PathOf("services/Scoring/Rules/default-rules.json"), _file);

        var (exitCode, output, error) = Run("rules", "check", _file);

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Equal($"{Path.GetFileName(_file)}: valid. 19 rules on 16 signals; levels CRITICAL ≥ 75, HIGH ≥ 55, MEDIUM ≥ 30.{Environment.NewLine}", output);
    }

    [Fact]
    public void Checking_a_file_with_problems_lists_every_one_and_exits_1()
    {
        File.WriteAllText(_file, """
            { "rules": [
                { "name": "quiet", "feature": "days_since_last_activty", "above": 14, "points": 20, "reason": "Quiet" },
                { "name": "late", "feature": "days_overdue", "points": 10, "reason": "Late", "stages": ["Won"] }
            ] }
            """);

        var (exitCode, output, error) = Run("rules", "check", _file);

        Assert.Equal((1, ""), (exitCode, output));
        Assert.Equal(
        [
            $"{Path.GetFileName(_file)}: 3 problems; the scoring service would refuse to start with it:",
            "  - Rule 'quiet' uses unknown feature 'days_since_last_activty' (did you mean 'days_since_last_activity'?).",
            "  - Rule 'late' needs exactly one of above, atLeast, below.",
            "  - Rule 'late' names stage 'Won', which no open deal is in (stages are Lead, Qualified, Demo, Proposal, Negotiation).",
        ], error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Checking_a_file_that_cannot_be_read_exits_2_and_says_why()
    {
        var (exitCode, output, error) = Run("rules", "check", _file);

        Assert.Equal((2, ""), (exitCode, output));
        Assert.StartsWith($"Cannot read {_file}:", error);
    }

    [Fact]
    public void Listing_the_signals_prints_one_row_per_catalogued_signal()
    {
        var (exitCode, output, _) = Run("rules", "signals");

        Assert.Equal(0, exitCode);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        Assert.Equal(Contracts.RiskSignals.Names.Select(name => $"| `{name}` |"), rows.Select(row => row[..(row.IndexOf("` |", StringComparison.Ordinal) + 3)]));
    }

    public void Dispose() => File.Delete(_file);

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = Commands.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
