using System.Diagnostics;
using DealRisk.AllInOne;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Ingestion.Deals;

namespace DealRisk.Benchmarks;

/// <summary>
/// The feature service's share of the daily batch on its own, on the seeded store: every open chunk's deal copies
/// loaded and featurized into the chunk's feature payload (<see cref="ChunkFeaturizer"/>), chunks formed from
/// ingestion's deal index as the batch forms them, with the CPU time and bytes allocated per deal.
/// </summary>
public static class FeaturesBatchBench
{
    private const int ChunkSize = 5_000;

    public static async Task<BenchResult> RunAsync(int openDeals, string seededDirectory, int rounds)
    {
        if (!File.Exists(Path.Combine(seededDirectory, $"seeded-{openDeals}")))
            throw new InvalidOperationException($"{seededDirectory} holds no seeded store of {openDeals} open deals: run seed-batch --deals {openDeals} --data {seededDirectory} first.");
        using var host = EmbeddedHost.BuildJobHost([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = seededDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var index = host.Services.GetRequiredService<DealRepository>();
        var copies = host.Services.GetRequiredService<DealCopies>();
        var asOf = DailyBatchBench.AsOf;
        var batchId = Guid.NewGuid();
        List<DealRef> closed = [], open = [];
        await foreach (var deal in index.ClosedAsync(CancellationToken.None))
            if (DealCalendar.KnownBy(deal, asOf))
                (DealCalendar.ClosedBy(deal, asOf) ? closed : open).Add(deal.Ref);
        await foreach (var deal in index.NotClosedAsync(CancellationToken.None))
            if (DealCalendar.KnownBy(deal, asOf))
                open.Add(deal.Ref);

        static List<DealChunkSynced> Chunks(Guid batchId, DateOnly asOf, string part, List<DealRef> deals) =>
            [.. deals.Chunk(ChunkSize).Select((refs, i) => new DealChunkSynced
            {
                BatchId = batchId, CorrelationId = batchId, AsOf = asOf, Part = part, ChunkIndex = i, Deals = refs,
            })];
        Task NoResync(ResyncDeals resync) => throw new InvalidOperationException($"The seeded store misses {resync.Deals.Count} deal copies.");

        var parts = new List<OutcomeStatistics>();
        foreach (var chunk in Chunks(batchId, asOf, DealChunkParts.History, closed))
            parts.Add(OutcomeStatistics.FromClosedDeals(await copies.LoadAsync(chunk, NoResync, CancellationToken.None)));
        var context = new FeatureContext(OutcomeStatistics.Merge(parts));
        var openChunks = Chunks(batchId, asOf, DealChunkParts.Open, open);

        // One untimed pass: the code is jitted and the store's pages are in the page cache for every timed round alike.
        long payloadBytes = 0;
        foreach (var chunk in openChunks)
            payloadBytes += (await ChunkFeaturizer.ComputeAsync(copies, chunk, context, NoResync, CancellationToken.None)).Payload.Length;

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
            foreach (var chunk in openChunks)
                await ChunkFeaturizer.ComputeAsync(copies, chunk, context, NoResync, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var featurized = (double)open.Count * rounds;

        return new BenchResult
        {
            Name = "features-batch",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["openDeals"] = open.Count,
                ["closedDealsInStatistics"] = closed.Count,
                ["chunks"] = openChunks.Count,
                ["rounds"] = rounds,
                ["wallSeconds"] = Math.Round(seconds, 2),
                ["cpuSeconds"] = Math.Round(cpuSeconds, 2),
                ["cpuMicrosecondsPerDeal"] = Math.Round(cpuSeconds * 1e6 / featurized, 2),
                ["allocatedBytesPerDeal"] = Math.Round(allocated / featurized),
                ["payloadBytesPerDeal"] = Math.Round((double)payloadBytes / open.Count),
                ["gcPauseSeconds"] = Math.Round((GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds, 2),
                ["gc"] = DailyBatchBench.GcDescription(),
                ["loadAverage"] = BenchResult.LoadAverages(),
            },
            Targets = new Dictionary<string, object>(),
            TargetsMet = true,
        };
    }
}
