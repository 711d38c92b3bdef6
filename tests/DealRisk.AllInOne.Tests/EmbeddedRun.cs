using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.AllInOne.Tests;

/// <summary>The single-process host on embedded storage in a temporary directory, with the job that imports and runs batches on it.</summary>
public sealed class EmbeddedRun : IAsyncDisposable
{
    private EmbeddedRun(string root, IHost host)
    {
        Root = root;
        Host = host;
        Job = ActivatorUtilities.CreateInstance<BatchJob>(host.Services);
    }

    public string Root { get; }

    public IHost Host { get; }

    public BatchJob Job { get; }

    public string OutputDirectory => Path.Combine(Root, "results");

    public static async Task<EmbeddedRun> StartAsync(string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "dealrisk-allinone-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var host = EmbeddedHost.BuildJobHost([], Settings(root, settings));
        await host.StartAsync();
        return new EmbeddedRun(root, host);
    }

    /// <summary>The single-process host's settings for a run kept under <paramref name="root"/>, with <paramref name="overrides"/> on top.</summary>
    public static Dictionary<string, string?> Settings(string root, IReadOnlyDictionary<string, string?>? overrides = null) =>
        new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = Path.Combine(root, "data"),
            ["Reports:OutputDirectory"] = Path.Combine(root, "results"),
            ["Scoring:ModelDirectory"] = Path.Combine(root, "results", "models"),
            ["Ingestion:BatchChunkSize"] = "500",
            ["Slack:WebhookUrl"] = null,
            ["SLACK_WEBHOOK_URL"] = null,
            ["Logging:LogLevel:Default"] = "Warning",
        }.Concat(overrides ?? new Dictionary<string, string?>()).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value);

    public Task<ImportResult> ImportAsync(string file, string format) => Job.ImportAsync(file, format, CancellationToken.None);

    public Task<DailyReportPublished> RunBatchAsync(DateOnly asOf) => Job.RunBatchAsync(asOf, "test", TimeSpan.FromMinutes(3), CancellationToken.None);

    public string ReportDirectory(DateOnly asOf) => Path.Combine(OutputDirectory, asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One risk-report.csv as read back: its header and its rows by column name.</summary>
public sealed record RiskReport(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
{
    public static async Task<RiskReport> ReadAsync(string path)
    {
        var (header, rows) = await CsvFile.ReadAsync(path);
        return new RiskReport(header, rows);
    }

    public IEnumerable<string> DealIds => Rows.Select(row => row["deal_id"]);

    public IEnumerable<IReadOnlyDictionary<string, string>> AtLevels(params string[] levels) => Rows.Where(row => levels.Contains(row["level"]));

    public decimal Acv(IEnumerable<IReadOnlyDictionary<string, string>> rows) =>
        rows.Sum(row => row["acv"] is { Length: > 0 } acv ? decimal.Parse(acv, CultureInfo.InvariantCulture) : 0m);

    public static IReadOnlyList<string> ExpectedHeader => RiskReportCsv.Columns;
}

/// <summary>A whole CSV file read with the header row naming the columns.</summary>
public static class CsvFile
{
    public static async Task<(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)> ReadAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var csv = CsvReader.Create(stream, new CsvReaderOptions(), leaveOpen: false);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (await csv.ReadAsync(CancellationToken.None))
        {
            var header = csv.Headers!;
            rows.Add(header.Select((column, index) => (column, value: csv.GetStringOrNull(index) ?? "")).ToDictionary(cell => cell.column, cell => cell.value));
        }
        return (csv.Headers?.ToList() ?? [], rows);
    }
}

/// <summary>
/// BatchJob shows its import progress on the process-wide console, which refuses two live progress displays at
/// once: classes that import run one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ImportingCollection
{
    public const string Name = "importing";
}
