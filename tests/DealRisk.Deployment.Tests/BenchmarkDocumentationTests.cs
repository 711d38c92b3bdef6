using System.Text.RegularExpressions;

namespace DealRisk.Deployment.Tests;

/// <summary>The README's "What was measured" reports every benchmark `make bench` runs, so none is measured unseen.</summary>
public sealed partial class BenchmarkDocumentationTests
{
    /// <summary>Prepares the store the batch benchmarks time; it measures nothing itself.</summary>
    private const string Seeding = "seed-batch";

    [Fact]
    public void Every_benchmark_make_bench_runs_has_a_row_in_the_READMEs_table_of_what_was_measured()
    {
        var steps = BenchStep().Matches(File.ReadAllText(Repository.PathOf("deploy/scripts/bench.sh")))
            .Select(match => match.Groups["name"].Value)
            .Where(name => name != Seeding)
            .Distinct()
            .ToList();
        var rows = MeasuredTable().Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal)).ToList();

        var unreported = steps.Where(step => !rows.Any(row => row.Split(" | ")[0].Contains($"`{step}", StringComparison.Ordinal))).ToList();

        Assert.Contains("realtime", steps);
        Assert.Empty(unreported);
    }

    private static string MeasuredTable()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var start = readme.IndexOf("\n## What was measured\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## What was measured\" section");
        var end = readme.IndexOf("\n### ", start, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    [GeneratedRegex(@"^\$bench (?<name>[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex BenchStep();
}
