using System.CommandLine;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Reports;
using DealRisk.ServiceDefaults;
using DealRisk.SyntheticCrm;
using DealRisk.Contracts.Json;
using Spectre.Console;

namespace DealRisk.AllInOne;

/// <summary>The <c>dealrisk</c> command line: run, serve, import, generate, train, rules check.</summary>
public static class Commands
{
    /// <param name="settings">Settings laid over the configuration of every host a command starts (tests point them at a temporary store).</param>
    public static RootCommand Build(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = new RootCommand("DealRisk: which open deals are at risk, why, and what to do about it.");
        root.Subcommands.Add(Run(settings));
        root.Subcommands.Add(Serve(settings));
        root.Subcommands.Add(Import(settings));
        root.Subcommands.Add(Generate());
        root.Subcommands.Add(RulesCommand.Build());
        root.Subcommands.Add(Training(settings, "train", "Train FastForest and FastTree on point-in-time features, compare them with the rules on a time-ordered holdout, and serve what the gate allows.", dryRun: false));
        root.Subcommands.Add(Training(settings, "backtest", "Replay history: how many days before the close lost deals were first flagged HIGH or CRITICAL, and how precise the flags were, rules and models side by side. Promotes nothing.", dryRun: true));
        return root.WithExamples();
    }

    private static Command Run(IReadOnlyDictionary<string, string?>? settings)
    {
        var deals = new Option<int>("--deals") { Description = "Deals in the generated sample", DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated sample", DefaultValueFactory = _ => 42 };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Day to score (default: today in the business time zone, Business__TimeZone)" };
        var input = new Option<FileInfo?>("--input") { Description = "An export to import instead of the generated sample" };
        var format = new Option<string>("--format") { Description = "Format of --input", DefaultValueFactory = _ => DealJsonLinesFormat.FormatName };
        var command = new Command("run", "Run the daily batch in one process on embedded defaults and print the headline.")
        {
            deals, seed, asOf, input, format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = EmbeddedHost.BuildJobHost([], settings);
            await host.StartAsync(cancellationToken);
            var time = host.Services.GetRequiredService<TimeProvider>();
            var day = parse.GetValue(asOf) ?? host.Services.GetRequiredService<BusinessTimeZone>().Today(time);
            if (parse.GetValue(input) is null && await RefuseSampleAsync(host, "import your next export with --input <file>", cancellationToken))
                return 1;
            var file = parse.GetValue(input)?.FullName
                       ?? await SampleFile(parse.GetValue(deals), parse.GetValue(seed), day, host.Services.GetRequiredService<IConfiguration>(), cancellationToken);
            var job = ActivatorUtilities.CreateInstance<BatchJob>(host.Services);

            var imported = await job.ImportAsync(file, parse.GetValue(input) is null ? DealJsonLinesFormat.FormatName : parse.GetValue(format)!, cancellationToken);
            PrintImport(imported);
            if (imported.Status != "completed")
                return 1;

            await TrainJob.TrainIfDueAsync(host.Services, day, cancellationToken);
            var report = await job.RunBatchAsync(day, "cli", TimeSpan.FromMinutes(30), cancellationToken);
            Console.WriteLine();
            Console.WriteLine($"{report.HighRiskDeals} high-risk deals, {Money.Format(report.AcvAtRisk)} ACV at risk ({report.CriticalDeals} critical of {report.OpenDeals} open deals as of {report.AsOf:yyyy-MM-dd})");
            Console.WriteLine($"Scored by {report.ScoredBy}");
            Console.WriteLine($"Report:  {Path.Combine(report.ReportDirectory, DailyReportWriter.RiskReportFile)}");
            Console.WriteLine($"Summary: {Path.Combine(report.ReportDirectory, DailyReportWriter.ExecutiveSummaryFile)}");
            await StopWhenIdleAsync(host);
            return 0;
        });
        return command;
    }

    private static Command Training(IReadOnlyDictionary<string, string?>? settings, string name, string description, bool dryRun)
    {
        var deals = new Option<int>("--deals") { Description = "Deals in the generated sample", DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated sample", DefaultValueFactory = _ => 42 };
        var input = new Option<FileInfo?>("--input") { Description = "An export to import before training instead of the generated sample" };
        var format = new Option<string>("--format") { Description = "Format of --input", DefaultValueFactory = _ => DealJsonLinesFormat.FormatName };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "A mapping file (YAML or JSON) that reads --input, for any other CRM's CSV export" };
        var storeOnly = new Option<bool>("--store-only") { Description = "Train on the deals already in the store, importing nothing" };
        var json = new Option<FileInfo?>("--json") { Description = "Write the holdout metrics, backtest and the gate's decision to this file" };
        var command = new Command(name, description)
        {
            deals, seed, input, format, mapping, storeOnly, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(mapping) is not null && result.GetValue(input) is null)
                result.AddError("--mapping reads the file given with --input.");
            if (result.GetValue(storeOnly) && result.GetValue(input) is not null)
                result.AddError("--store-only imports nothing: leave out --input.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = EmbeddedHost.BuildJobHost([], settings);
            await host.StartAsync(cancellationToken);
            if (!parse.GetValue(storeOnly))
            {
                var batch = ActivatorUtilities.CreateInstance<BatchJob>(host.Services);
                ImportResult imported;
                if (parse.GetValue(input) is { } export)
                {
                    imported = parse.GetValue(mapping) is { } mappingFile
                        ? await batch.ImportMappedAsync(export.FullName, mappingFile.FullName, cancellationToken)
                        : await batch.ImportAsync(export.FullName, parse.GetValue(format)!, cancellationToken);
                }
                else
                {
                    if (await RefuseSampleAsync(host, "train on them with --store-only, or import another export with --input <file>", cancellationToken))
                        return 1;
                    var time = host.Services.GetRequiredService<TimeProvider>();
                    var sample = await SampleFile(parse.GetValue(deals), parse.GetValue(seed), host.Services.GetRequiredService<BusinessTimeZone>().Today(time), host.Services.GetRequiredService<IConfiguration>(), cancellationToken);
                    imported = await batch.ImportAsync(sample, DealJsonLinesFormat.FormatName, cancellationToken);
                }
                PrintImport(imported);
                if (imported.Status != "completed")
                {
                    await StopWhenIdleAsync(host);
                    return 1;
                }
            }

            var job = ActivatorUtilities.CreateInstance<TrainJob>(host.Services);
            var trained = await job.TrainAsync($"cli {name}", TimeSpan.FromMinutes(30), cancellationToken, dryRun);
            job.Print(trained);
            if (trained.Backtests.Count > 0)
                TrainJob.PrintBacktest(trained);
            if (parse.GetValue(json) is { } output)
                await TrainJob.WriteJsonAsync(trained, output.FullName, cancellationToken);
            await StopWhenIdleAsync(host);
            return trained.Refused ? 2 : 0;
        });
        return command;
    }

    private static Command Serve(IReadOnlyDictionary<string, string?>? settings)
    {
        var command = new Command("serve", "Run all four services in one process with their HTTP endpoints (embedded mode).");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = EmbeddedHost.BuildWebHost([], settings);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command Import(IReadOnlyDictionary<string, string?>? settings)
    {
        var file = new Argument<FileInfo>("file") { Description = "The export to import" };
        var format = new Option<string?>("--format") { Description = "skygeni, salesforce, hubspot, salesforce-history, dealrisk-jsonl" };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "A mapping file (YAML or JSON) for any other CRM's CSV export" };
        var history = new Option<FileInfo?>("--history") { Description = "A Salesforce OpportunityHistory export to merge after the opportunities" };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Run the daily batch as of this day after the import" };
        var command = new Command("import", "Import a CRM export into the embedded (or configured) store.") { file, format, mapping, history, asOf };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(format) is null) == (result.GetValue(mapping) is null))
                result.AddError("Give either --format <name> or --mapping <file>.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = EmbeddedHost.BuildJobHost([], settings);
            await host.StartAsync(cancellationToken);
            var job = ActivatorUtilities.CreateInstance<BatchJob>(host.Services);
            var path = parse.GetValue(file)!.FullName;
            var imported = parse.GetValue(mapping) is { } mappingFile
                ? await job.ImportMappedAsync(path, mappingFile.FullName, cancellationToken)
                : await job.ImportAsync(path, parse.GetValue(format)!, cancellationToken);
            PrintImport(imported);
            if (imported.Status == "completed" && parse.GetValue(history) is { } historyFile)
            {
                imported = await job.ImportAsync(historyFile.FullName, SalesforceOpportunityHistoryFormat.FormatName, cancellationToken);
                PrintImport(imported);
            }
            var copiesComplete = await SyncDealCopiesAsync(host, cancellationToken);
            if (imported.Status == "completed" && parse.GetValue(asOf) is { } day)
            {
                var report = await job.RunBatchAsync(day, "cli", TimeSpan.FromMinutes(30), cancellationToken);
                AnsiConsole.WriteLine($"{report.HighRiskDeals} high-risk deals, {Money.Format(report.AcvAtRisk)} ACV at risk — {report.ReportDirectory}");
            }
            await StopWhenIdleAsync(host);
            return imported.Status == "completed" && copiesComplete ? 0 : 1;
        });
        return command;
    }

    private static Command Generate()
    {
        var deals = new Option<int>("--deals") { DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var asOf = new Option<DateOnly?>("--as-of");
        var output = new Option<FileInfo>("--out") { Required = true };
        var command = new Command("generate", "Write a synthetic CRM export (DealRisk JSON Lines).") { deals, seed, asOf, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SyntheticCrmOptions
            {
                Seed = parse.GetValue(seed),
                DealCount = parse.GetValue(deals),
                AsOf = parse.GetValue(asOf) ?? BusinessTimeZone.From(new ConfigurationBuilder().AddEnvironmentVariables().Build()).Today(TimeProvider.System),
            };
            await WriteSample(options, parse.GetValue(output)!.FullName, cancellationToken);
            AnsiConsole.WriteLine($"Wrote {options.DealCount} deals to {parse.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }

    /// <summary>Waits until every event the import published is consumed, then repairs any deal copy the feature service lacks.</summary>
    private static async Task<bool> SyncDealCopiesAsync(IHost host, CancellationToken cancellationToken)
    {
        await WaitForIdleAsync(host, cancellationToken);
        var missing = await host.Services.GetRequiredService<DealCopyReconciliation>().RunAsync(cancellationToken);
        if (missing.Count == 0)
            return true;
        AnsiConsole.MarkupLineInterpolated($"[red]{missing.Count} deals did not reach the feature service[/] (first: {missing[0]}); run the command again to retry.");
        return false;
    }

    /// <summary>The in-memory bus drops what is still queued when the host stops: stop only once nothing is in flight.</summary>
    private static async Task StopWhenIdleAsync(IHost host)
    {
        await WaitForIdleAsync(host, CancellationToken.None);
        await host.StopAsync(CancellationToken.None);
    }

    private static async Task WaitForIdleAsync(IHost host, CancellationToken cancellationToken)
    {
        if (!await host.Services.GetRequiredService<BusActivity>().WaitForIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), cancellationToken))
            AnsiConsole.MarkupLine("[yellow]Messages were still being processed after 30 minutes.[/]");
    }

    private static async Task<bool> RefuseSampleAsync(IHost host, string advice, CancellationToken cancellationToken)
    {
        var imported = await host.Services.GetRequiredService<GeneratedSampleGuard>().ImportedDealsAsync(cancellationToken);
        if (imported == 0)
            return false;
        AnsiConsole.MarkupLineInterpolated($"[red]The store holds {imported} imported deals; the generated sample is never mixed into them.[/] Instead, {advice}.");
        return true;
    }

    private static async Task<string> SampleFile(int deals, int seed, DateOnly asOf, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(configuration["Storage:DataDirectory"] ?? ".data", "samples");
        var path = Path.GetFullPath(Path.Combine(directory, $"synthetic-{asOf:yyyy-MM-dd}-seed{seed}-{deals}.jsonl"));
        if (!File.Exists(path))
            await WriteSample(new SyntheticCrmOptions { Seed = seed, DealCount = deals, AsOf = asOf }, path, cancellationToken);
        return path;
    }

    private static async Task WriteSample(SyntheticCrmOptions options, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
            await DealJsonLines.WriteAsync(SyntheticCrmGenerator.Generate(options), stream, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static void PrintImport(ImportResult result)
    {
        if (result.Status != "completed")
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Import refused:[/] {result.Error}");
            return;
        }
        AnsiConsole.WriteLine($"Imported {result.Rows} rows: {result.Created} new, {result.Updated} updated, {result.Unchanged} unchanged, {result.Rejected} rejected; {result.Flagged} deals flagged for data quality");
        foreach (var error in result.Errors.Take(10))
            AnsiConsole.MarkupLineInterpolated($"  [yellow]line {error.Line}[/] {error.Column}: {error.Reason}");
    }
}
