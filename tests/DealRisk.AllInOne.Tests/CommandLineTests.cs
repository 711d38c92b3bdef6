using System.Globalization;
using System.Text;
using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Features.Storage;
using DealRisk.Ingestion.Deals;
using DealRisk.SyntheticCrm;
using DealRisk.Contracts.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.AllInOne.Tests;

/// <summary>The <c>dealrisk</c> commands as a user runs them, each starting and stopping its own host on one store.</summary>
[Collection(ImportingCollection.Name)]
public sealed class CommandLineTests : IDisposable
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 21, DealCount = 3000, AsOf = new DateOnly(2025, 6, 30) };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "dealrisk-allinone-tests", $"cli-{Guid.NewGuid():N}");

    public CommandLineTests() => Directory.CreateDirectory(_root);

    private Dictionary<string, string?> Settings => new()
    {
        ["Bus:Transport"] = "InMemory",
        ["Storage:Provider"] = "Embedded",
        ["Storage:DataDirectory"] = Path.Combine(_root, "data"),
        ["Reports:OutputDirectory"] = Path.Combine(_root, "results"),
        ["Scoring:ModelDirectory"] = Path.Combine(_root, "results", "models"),
        ["SLACK_WEBHOOK_URL"] = null,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    [Fact]
    public async Task Every_deal_imported_with_the_cli_is_in_the_feature_store_when_the_command_returns()
    {
        var file = await SampleFileAsync();

        Assert.Equal(0, await RunAsync("import", file, "--format", "dealrisk-jsonl"));

        var (held, copies) = await CountsAsync();
        Assert.Equal(Sample.DealCount, held);
        Assert.Equal(Sample.DealCount, copies);
    }

    [Fact]
    public async Task Running_a_command_again_repairs_deal_copies_the_feature_store_lost()
    {
        var file = await SampleFileAsync();
        Assert.Equal(0, await RunAsync("import", file, "--format", "dealrisk-jsonl"));
        await using (var store = await StoreAsync())
        {
            var lost = 0;
            await foreach (var deal in store.Copies.ScanAsync(CancellationToken.None))
                if (lost++ < 500) await store.Copies.DeleteAsync(deal.Source, deal.ExternalId, CancellationToken.None);
        }
        Assert.Equal(Sample.DealCount - 500, (await CountsAsync()).Copies);

        // Every row is unchanged, so the import itself republishes nothing.
        Assert.Equal(0, await RunAsync("import", file, "--format", "dealrisk-jsonl"));

        Assert.Equal(Sample.DealCount, (await CountsAsync()).Copies);
    }

    [Fact]
    public async Task Train_without_an_input_refuses_to_put_the_generated_sample_into_a_store_of_imported_deals()
    {
        var (export, mapping) = await MappedExportAsync(SyntheticCrmGenerator.Generate(Sample with { DealCount = 200 }));
        Assert.Equal(0, await RunAsync("import", export, "--mapping", mapping));

        Assert.Equal(1, await RunAsync("train"));
        Assert.Equal(1, await RunAsync("run"));

        await using var store = await StoreAsync();
        var sources = new HashSet<string>();
        await foreach (var deal in store.Ingestion.ClosedAsync(CancellationToken.None)) sources.Add(deal.Source);
        await foreach (var deal in store.Ingestion.NotClosedAsync(CancellationToken.None)) sources.Add(deal.Source);
        Assert.Equal(["mapped-crm"], sources);
    }

    [Fact]
    public async Task Train_imports_an_input_through_a_mapping_file_and_trains_on_it()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        var (export, mapping) = await MappedExportAsync(deals);
        var json = Path.Combine(_root, "train.json");

        var exitCode = await RunAsync("train", "--input", export, "--mapping", mapping, "--json", json);

        Assert.True(exitCode is 0 or 2, $"exit code {exitCode}");
        using var trained = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var won = trained.RootElement.GetProperty("wonDeals").GetInt32();
        var lost = trained.RootElement.GetProperty("lostDeals").GetInt32();
        Assert.True(won > 0 && lost > 0, $"{won} won, {lost} lost");
        Assert.True(won + lost <= deals.Count(deal => deal.IsClosed));
        Assert.Equal((deals.Count, deals.Count), await CountsAsync());
    }

    private async Task<int> RunAsync(params string[] args) => await Commands.Build(Settings).Parse(args).InvokeAsync();

    private async Task<string> SampleFileAsync()
    {
        var path = Path.Combine(_root, "sample.jsonl");
        await using var stream = File.Create(path);
        await DealJsonLines.WriteAsync(SyntheticCrmGenerator.Generate(Sample), stream);
        return path;
    }

    /// <summary>The deals as another CRM's CSV export (one row per deal, current values) and the mapping that reads it.</summary>
    private async Task<(string Export, string Mapping)> MappedExportAsync(IEnumerable<DealSnapshot> deals)
    {
        var csv = new StringBuilder("Id,Stage,Created,Closed,Amount,Owner,Industry\n");
        foreach (var deal in deals)
        {
            var stage = deal.Stage switch { DealStages.ClosedWon => "Won", DealStages.ClosedLost => "Lost", var open => open };
            csv.Append(CultureInfo.InvariantCulture,
                $"{deal.ExternalId},{stage},{deal.CreatedAt:yyyy-MM-ddTHH:mm:ss},{deal.ClosedAt:yyyy-MM-ddTHH:mm:ss},{deal.Amount},{deal.Owner},{deal.Industry}\n");
        }
        var export = Path.Combine(_root, "export.csv");
        var mapping = Path.Combine(_root, "crm.yaml");
        await File.WriteAllTextAsync(export, csv.ToString());
        await File.WriteAllTextAsync(mapping, """
            source: mapped-crm
            columns: { externalId: Id, stage: Stage, createdAt: Created, closedAt: Closed, amount: Amount, owner: Owner, industry: Industry }
            stages: { Lead: Lead, Qualified: Qualified, Demo: Demo, Proposal: Proposal, Negotiation: Negotiation, Won: ClosedWon, Lost: ClosedLost }
            """);
        return (export, mapping);
    }

    private async Task<(long Held, long Copies)> CountsAsync()
    {
        await using var store = await StoreAsync();
        long held = 0;
        await foreach (var _ in store.Ingestion.ClosedAsync(CancellationToken.None)) held++;
        await foreach (var _ in store.Ingestion.NotClosedAsync(CancellationToken.None)) held++;
        return (held, await store.Copies.CountAsync(CancellationToken.None));
    }

    /// <summary>The stores the commands wrote, read through a host that is built but never started.</summary>
    private Task<Stores> StoreAsync() => Task.FromResult(new Stores(EmbeddedHost.BuildJobHost([], Settings)));

    private sealed class Stores(IHost host) : IAsyncDisposable
    {
        public DealRepository Ingestion => host.Services.GetRequiredService<DealRepository>();

        public DealCopyStore Copies => host.Services.GetRequiredService<DealCopyStore>();

        public ValueTask DisposeAsync()
        {
            host.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
