using System.CommandLine;

namespace DealRisk.AllInOne.Tests;

public sealed class CommandHelpTests
{
    [Theory]
    [InlineData(new string[0], "dealrisk import export.csv --format hubspot")]
    [InlineData(new[] { "run" }, "dealrisk run --deals 20000 --as-of 2026-11-23")]
    [InlineData(new[] { "serve" }, "dealrisk serve")]
    [InlineData(new[] { "import" }, "dealrisk import opportunities.csv --format salesforce --history history.csv")]
    [InlineData(new[] { "generate" }, "dealrisk generate --deals 5000 --out sample.jsonl")]
    [InlineData(new[] { "train" }, "dealrisk train --store-only")]
    [InlineData(new[] { "backtest" }, "dealrisk backtest --store-only --json backtest.json")]
    [InlineData(new[] { "rules", "check" }, "dealrisk rules check my-rules.json && Scoring__RulesFile=my-rules.json dealrisk serve")]
    public void Help_ends_with_examples_of_the_command(string[] command, string example)
    {
        var output = new StringWriter();

        var exitCode = Commands.Build().Parse([.. command, "--help"]).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        var help = output.ToString();
        Assert.Contains("Usage:", help);
        var examples = help[help.IndexOf("\nExamples:\n", StringComparison.Ordinal)..];
        Assert.Contains("  " + example, examples);
    }

    [Fact]
    public void Progress_without_a_terminal_is_whole_lines_one_per_tenth_ending_at_100_percent()
    {
        var output = new StringWriter();
        var progress = new LineProgress(output, "Importing deals.csv", total: 1000);

        foreach (var position in new long[] { 0, 10, 150, 160, 790, 810 })
            progress.Report(position);
        progress.Complete();
        progress.Complete();

        var text = output.ToString();
        Assert.EndsWith(Environment.NewLine, text);
        var percents = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^Importing deals\.csv: +(\d+)% \(\d+\.\d s\)$"))
            .Select(match => match.Success ? int.Parse(match.Groups[1].Value) : -1)
            .ToList();
        Assert.Equal([0, 10, 70, 80, 100], percents);
    }
}
