using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace DealRisk.AllInOne;

/// <summary>Adds an "Examples:" section to <c>--help</c>, for the root command and each subcommand that has examples.</summary>
public static class HelpExamples
{
    private static readonly Dictionary<string, string[]> BySubcommand = new(StringComparer.Ordinal)
    {
        ["run"] = ["dealrisk run", "dealrisk run --deals 20000 --as-of 2026-11-23", "dealrisk run --input export.csv --format hubspot"],
        ["serve"] = ["dealrisk serve", "ASPNETCORE_URLS=http://127.0.0.1:5000 Ingestion__ApiKey=$KEY DASHBOARD_PASSWORD=$PASSWORD dealrisk serve"],
        ["import"] =
        [
            "dealrisk import skygeni_sales_data.csv --format skygeni --as-of 2024-01-15",
            "dealrisk import opportunities.csv --format salesforce --history history.csv",
            "dealrisk import pipedrive.csv --mapping mappings/pipedrive.yaml",
        ],
        ["generate"] = ["dealrisk generate --deals 5000 --out sample.jsonl", "dealrisk generate --deals 100000 --seed 7 --as-of 2026-11-23 --out big.jsonl"],
        ["train"] = ["dealrisk train", "dealrisk train --input sample.jsonl --format dealrisk-jsonl --json train.json", "dealrisk train --store-only"],
        ["backtest"] = ["dealrisk backtest", "dealrisk backtest --store-only --json backtest.json"],
        ["rules"] = ["dealrisk rules check my-rules.json", "dealrisk rules signals"],
        ["check"] = ["dealrisk rules check my-rules.json && Scoring__RulesFile=my-rules.json dealrisk serve"],
    };

    private static readonly string[] ForRoot =
    [
        "dealrisk run                                       the daily batch over a generated sample",
        "dealrisk import export.csv --format hubspot        import a HubSpot deals export",
        "dealrisk train --json train.json                   train, compare with the rules, serve what the gate allows",
        "dealrisk serve                                     the four services and their HTTP APIs in one process",
        "dealrisk <command> --help                          a command's options and examples",
    ];

    public static RootCommand WithExamples(this RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
            help.Action = new HelpWithExamples(standard, root);
        return root;
    }

    public static IReadOnlyList<string> For(Command command, RootCommand root) =>
        command == root ? ForRoot : BySubcommand.GetValueOrDefault(command.Name, []);

    private sealed class HelpWithExamples(HelpAction standard, RootCommand root) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = standard.Invoke(parseResult);
            var examples = For(parseResult.CommandResult.Command, root);
            if (examples.Count == 0)
                return exitCode;
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
                output.WriteLine("  " + example);
            output.WriteLine();
            return exitCode;
        }
    }
}
