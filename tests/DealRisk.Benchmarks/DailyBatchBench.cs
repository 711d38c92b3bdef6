using System.Diagnostics;
using DealRisk.AllInOne;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Ingestion.Deals;
using DealRisk.Notification.Storage;
using DealRisk.Scoring.Modeling;
using DealRisk.SyntheticCrm;

namespace DealRisk.Benchmarks;

/// <summary>
/// The daily batch in single-process embedded mode: N open deals (plus closed history) featurized, scored and
/// reported. Seeding fills the ingestion store and the feature store's deal copies, the state webhooks and imports
/// keep current between mornings, then trains a model on the closed deals through the product's training flow and
/// gate (as the weekly retrain does); it runs in its own process so the batch process's peak memory is the batch's alone.
/// </summary>
public static class DailyBatchBench
{
    public static readonly DateOnly AsOf = new(2026, 11, 2);
    private const int ClosedDeals = 50_000;

    public static async Task SeedAsync(int openDeals, string dataDirectory)
    {
        var marker = Path.Combine(dataDirectory, $"seeded-{openDeals}");
        if (File.Exists(marker))
            Console.WriteLine($"Ingestion store in {dataDirectory} already holds {openDeals} open deals.");
        else
            await SeedDealsAsync(openDeals, dataDirectory, marker);
        await TrainModelAsync(dataDirectory);
    }

    private static async Task SeedDealsAsync(int openDeals, string dataDirectory, string marker)
    {
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

    /// <summary>Trains on the seeded closed deals and serves what the gate lets through, unless a model is served already.</summary>
    private static async Task TrainModelAsync(string dataDirectory)
    {
        using var host = EmbeddedHost.BuildJobHost([], Overrides(dataDirectory, Path.GetTempPath()));
        await host.StartAsync();
        if ((await host.Services.GetRequiredService<ServedModels>().CurrentAsync(CancellationToken.None)).Model is { } served)
        {
            Console.WriteLine($"Serving {served.Record.ModelVersion} already.");
            await host.StopAsync();
            return;
        }
        var clock = Stopwatch.StartNew();
        var trained = await ActivatorUtilities.CreateInstance<TrainJob>(host.Services)
            .TrainAsync("daily-batch benchmark set-up", TimeSpan.FromMinutes(30), CancellationToken.None, asOf: AsOf);
        await host.Services.GetRequiredService<BusActivity>().WaitForIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), CancellationToken.None);
        await host.StopAsync();
        Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:0.0} s: {trained.Decision}");
        if (trained.ServedModelVersion is null)
            throw new InvalidOperationException($"The gate served no model on the seeded closed deals: {trained.Decision}");
    }

    /// <summary>
    /// Times the batch as of <paramref name="asOf"/> (by default <see cref="AsOf"/>) on a fresh copy of the seeded store after <paramref name="historyDays"/>
    /// untimed batches of the days before it, so every deal already has a score history as it has on any real morning.
    /// </summary>
    public static async Task<BenchResult> RunAsync(int openDeals, string seededDirectory, string reportDirectory, int historyDays, bool inPlace, DateOnly asOf)
    {
        if (inPlace)
            File.Delete(Path.Combine(seededDirectory, $"seeded-{openDeals}"));
        var dataDirectory = inPlace ? seededDirectory : CopyForRun(seededDirectory);
        using var host = EmbeddedHost.BuildJobHost([], Overrides(dataDirectory, reportDirectory));
        await host.StartAsync();
        var served = (await host.Services.GetRequiredService<ServedModels>().CurrentAsync(CancellationToken.None)).Model
            ?? throw new InvalidOperationException($"No model is served in {seededDirectory}: run seed-batch --deals {openDeals} first, it trains one.");
        var job = ActivatorUtilities.CreateInstance<BatchJob>(host.Services);
        var activity = host.Services.GetRequiredService<BusActivity>();
        for (var day = historyDays; day >= 1; day--)
        {
            var earlier = Stopwatch.StartNew();
            await job.RunBatchAsync(asOf.AddDays(-day), "bench-history", TimeSpan.FromMinutes(30), CancellationToken.None);
            await activity.WaitForIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), CancellationToken.None);
            Console.WriteLine($"Untimed batch as of {asOf.AddDays(-day):yyyy-MM-dd} in {earlier.Elapsed.TotalSeconds:0.0} s.");
        }

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen2Before = GC.CollectionCount(2);
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        // Generous: on a shared machine a million deals can take far longer than the target, and a figure beats none.
        var report = await job.RunBatchAsync(asOf, "bench", TimeSpan.FromMinutes(60), CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        // Consumers still working after the report (score copies, history) belong to the batch's cost.
        await activity.WaitForIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), CancellationToken.None);
        var secondsUntilIdle = clock.Elapsed.TotalSeconds - 1;
        process.Refresh();
        // CPU time and allocations vary far less than wall time when the machine is shared.
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocatedGiB = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (1024.0 * 1024 * 1024);
        var gen2Collections = GC.CollectionCount(2) - gen2Before;
        var peakMiB = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        var notificationStore = host.Services.GetRequiredService<NotificationStore>();
        var reportSeconds = await ReportSecondsAsync(notificationStore, report);
        var openDealsInBatch = await OpenDealsInBatchAsync(notificationStore, report.BatchId);
        await host.StopAsync();

        return new BenchResult
        {
            Name = "daily-batch",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["openDealsRequested"] = openDeals,
                ["openDealsInBatch"] = openDealsInBatch,
                ["openDealsReported"] = report.OpenDeals,
                ["closedDealsInHistory"] = ClosedDeals,
                ["asOf"] = asOf.ToString("yyyy-MM-dd"),
                ["historyDaysBefore"] = historyDays,
                ["store"] = $"{(inPlace ? "the seeded store itself" : "a fresh copy of the seeded store")} after {historyDays} untimed daily batches of the days before {asOf:yyyy-MM-dd}, so every deal open then has that many earlier scores",
                ["wallSeconds"] = Math.Round(seconds, 2),
                ["wallSecondsUntilIdle"] = Math.Round(secondsUntilIdle, 2),
                ["cpuSeconds"] = Math.Round(cpuSeconds, 2),
                ["allocatedGiB"] = Math.Round(allocatedGiB, 2),
                ["gen2Collections"] = gen2Collections,
                ["dealsPerSecond"] = Math.Round(report.OpenDeals / seconds),
                ["reportSeconds"] = Math.Round(reportSeconds, 2),
                ["reportSecondsCovers"] = "from the report's claim (every scored chunk stored) to its publication: the serial tail after the last chunk",
                ["peakWorkingSetMiB"] = Math.Round(peakMiB),
                ["peakWorkingSetCovers"] = historyDays > 0 ? "the whole process: the untimed earlier batches too" : "the whole process",
                ["highRiskDeals"] = report.HighRiskDeals,
                ["criticalDeals"] = report.CriticalDeals,
                ["scorers"] = Scorers(report.ScoredBy),
                ["modelVersion"] = served.Record.ModelVersion,
                ["gcPauseSeconds"] = Math.Round((GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds, 2),
                ["gen0Collections"] = GC.CollectionCount(0) - collectionsBefore,
                ["gc"] = GcDescription(),
                ["loadAverage"] = BenchResult.LoadAverages(),
            },
            Targets = new Dictionary<string, object> { ["wallSeconds"] = 10, ["peakWorkingSetMiB"] = 1024 },
            TargetsMet = WholeBookByModel(report, openDealsInBatch, openDeals) && seconds <= 10 && peakMiB < 1024,
        };
    }

    /// <summary>From the report's claim, taken once every scored chunk is stored, to its publication: the tail the batch waits for.</summary>
    public static async Task<double> ReportSecondsAsync(NotificationStore store, DailyReportPublished report)
    {
        var claim = await store.Claims.GetAsync($"report:{report.BatchId:N}")
            ?? throw new InvalidOperationException($"The report of batch {report.BatchId:N} has no claim in the notification store.");
        return (report.PublishedAt - claim.At).TotalSeconds;
    }

    /// <summary>How many open deals ingestion put into the batch, as its <c>DailyBatchSynced</c> kept in the notification store says.</summary>
    public static async Task<int> OpenDealsInBatchAsync(NotificationStore store, Guid batchId) =>
        (await store.Batches.GetAsync(batchId.ToString("N"))
            ?? throw new InvalidOperationException($"Batch {batchId:N} has no manifest in the notification store.")).OpenDeals;

    /// <summary>The same, read from the notification store of a data directory whose services have stopped.</summary>
    public static async Task<int> OpenDealsInBatchAsync(string dataDirectory, Guid batchId)
    {
        using var host = EmbeddedHost.BuildJobHost([], Overrides(dataDirectory, Path.GetTempPath()));
        return await OpenDealsInBatchAsync(host.Services.GetRequiredService<NotificationStore>(), batchId);
    }

    /// <summary>
    /// What a batch's targets take besides time and memory: the report counts every open deal the batch took in, the
    /// book is the size asked for (the seed draws each deal open or closed at random, so within a percent of it: 999,763
    /// of 1,000,000), and the model scored it.
    /// </summary>
    public static bool WholeBookByModel(DailyReportPublished report, int openDealsInBatch, int openDealsRequested) =>
        report.OpenDeals == openDealsInBatch && openDealsInBatch >= openDealsRequested * 0.99 && Scorers(report.ScoredBy) == ModelScorer.ScorerName;

    /// <summary>Prints <see cref="ReportSecondsAsync"/> for every report in a benchmark's store (a run of any version).</summary>
    public static async Task PrintReportTailsAsync(string dataDirectory)
    {
        using var host = EmbeddedHost.BuildJobHost([], Overrides(dataDirectory, Path.GetTempPath()));
        var store = host.Services.GetRequiredService<NotificationStore>();
        await foreach (var report in store.Reports.ScanAsync())
            Console.WriteLine($"{report.AsOf:yyyy-MM-dd} {report.OpenDeals} open deals: report written in {await ReportSecondsAsync(store, report):0.00} s");
    }

    /// <summary>A fresh copy of the seeded store beside it (<c>…-run</c>) for one run, so the seeded store itself is never written.</summary>
    internal static string CopyForRun(string seededDirectory)
    {
        var copy = seededDirectory.TrimEnd('/') + "-run";
        CopyStore(seededDirectory, copy);
        return copy;
    }

    /// <summary>
    /// Copies the store and puts the copy on disk before returning: left in the page cache, its gigabytes would be
    /// written back during the timed part, competing with every fsync of the services and the broker (a store in
    /// production has been on disk long before its morning batch).
    /// </summary>
    internal static void CopyStore(string from, string to)
    {
        if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            using var copied = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
            copied.Flush(flushToDisk: true);
            bytes += copied.Length;
        }
        Console.WriteLine($"Copied the store to {to} ({bytes / (1024.0 * 1024 * 1024):0.0} GiB, on disk) in {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>Which scorers the report says served the batch (its statements joined by "; "): <c>model</c>, <c>rules</c> or both.</summary>
    public static string Scorers(string? scoredBy) =>
        string.Join(", ", (scoredBy ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Select(statement => statement.StartsWith("rules", StringComparison.Ordinal) ? "rules" : ModelScorer.ScorerName)
            .Distinct());

    public static string GcDescription() =>
        $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {System.Runtime.GCSettings.LatencyMode}"
        + $", DATAS {Environment.GetEnvironmentVariable("DOTNET_GCDynamicAdaptationMode") ?? "default"}"
        + $", large objects from {LargeObjectThreshold()} bytes";

    /// <summary>The environment's override (hexadecimal) or the project's runtime setting.</summary>
    private static string LargeObjectThreshold() =>
        Environment.GetEnvironmentVariable("DOTNET_GCLOHThreshold") is { } hex ? $"{hex} (hexadecimal)"
        : AppContext.GetData("System.GC.LOHThreshold")?.ToString() ?? "85,000 (the default)";

    private static Dictionary<string, string?> Overrides(string dataDirectory, string reportDirectory) => new()
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Reports:OutputDirectory"] = reportDirectory,
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
