using System.Diagnostics;
using DealRisk.AllInOne;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Ingestion.Deals;
using DealRisk.SyntheticCrm;

namespace DealRisk.Benchmarks;

/// <summary>
/// The daily batch in single-process embedded mode: N open deals (plus closed history) featurized, scored and
/// reported. Seeding fills the ingestion store and the feature store's deal copies, the state webhooks and imports
/// keep current between mornings; it runs in its own process so the batch process's peak memory is the batch's alone.
/// </summary>
public static class DailyBatchBench
{
    public static readonly DateOnly AsOf = new(2026, 11, 2);
    private const int ClosedDeals = 50_000;

    public static async Task SeedAsync(int openDeals, string dataDirectory)
    {
        var marker = Path.Combine(dataDirectory, $"seeded-{openDeals}");
        if (File.Exists(marker))
        {
            Console.WriteLine($"Ingestion store in {dataDirectory} already holds {openDeals} open deals.");
            return;
        }
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);

        using var host = EmbeddedHost.BuildJobHost([], Overrides(dataDirectory, Path.GetTempPath()));
        var deals = host.Services.GetRequiredService<DealRepository>();
        var copies = host.Services.GetRequiredService<DealCopies>();
        var options = new SyntheticCrmOptions
        {
            Seed = 7,
            DealCount = openDeals + ClosedDeals,
            AsOf = AsOf,
            OpenShare = (double)openDeals / (openDeals + ClosedDeals),
        };
        var clock = Stopwatch.StartNew();
        var buffer = new List<DealSnapshot>(20_000);
        long written = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var deal in SyntheticCrmGenerator.Generate(options))
        {
            buffer.Add(DealMerge.Apply(null, deal, now).Deal);
            if (buffer.Count < buffer.Capacity) continue;
            await Task.WhenAll(deals.SaveManyAsync(buffer, CancellationToken.None), copies.SaveManyAsync(buffer, CancellationToken.None));
            written += buffer.Count;
            buffer.Clear();
            if (written % 200_000 == 0) Console.WriteLine($"  seeded {written:N0} deals ({clock.Elapsed.TotalSeconds:0.0} s)");
        }
        await Task.WhenAll(deals.SaveManyAsync(buffer, CancellationToken.None), copies.SaveManyAsync(buffer, CancellationToken.None));
        await File.WriteAllTextAsync(marker, DateTimeOffset.UtcNow.ToString("O"));
        Console.WriteLine($"Seeded {options.DealCount:N0} deals in {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    public static async Task<BenchResult> RunAsync(int openDeals, string dataDirectory, string reportDirectory)
    {
        using var host = EmbeddedHost.BuildJobHost([], Overrides(dataDirectory, reportDirectory));
        await host.StartAsync();
        var job = ActivatorUtilities.CreateInstance<BatchJob>(host.Services);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gen2Before = GC.CollectionCount(2);
        var clock = Stopwatch.StartNew();
        var report = await job.RunBatchAsync(AsOf, "bench", TimeSpan.FromMinutes(20), CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        // CPU time and allocations vary far less than wall time when the machine is shared.
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocatedGiB = (GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024.0 * 1024 * 1024);
        var gen2Collections = GC.CollectionCount(2) - gen2Before;
        var peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        await host.StopAsync();

        return new BenchResult
        {
            Name = "daily-batch",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["openDealsRequested"] = openDeals,
                ["openDealsReported"] = report.OpenDeals,
                ["closedDealsInHistory"] = ClosedDeals,
                ["wallSeconds"] = Math.Round(seconds, 2),
                ["cpuSeconds"] = Math.Round(cpuSeconds, 2),
                ["allocatedGiB"] = Math.Round(allocatedGiB, 2),
                ["gen2Collections"] = gen2Collections,
                ["loadAverageAtEnd"] = LoadAverage(),
                ["dealsPerSecond"] = Math.Round(report.OpenDeals / seconds),
                ["peakWorkingSetMiB"] = Math.Round(peakMiB),
                ["highRiskDeals"] = report.HighRiskDeals,
                ["scorers"] = "rules",
            },
            Targets = new Dictionary<string, object> { ["wallSeconds"] = 10, ["peakWorkingSetMiB"] = 1024 },
            TargetsMet = report.OpenDeals >= openDeals && seconds <= 10 && peakMiB < 1024,
        };
    }

    /// <summary>The 1-minute load average, to read wall times taken on a shared machine by.</summary>
    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var load)
            ? load
            : double.NaN;

    private static Dictionary<string, string?> Overrides(string dataDirectory, string reportDirectory) => new()
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Reports:OutputDirectory"] = reportDirectory,
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
