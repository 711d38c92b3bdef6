using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Scoring;
using DealRisk.Scoring.Storage;
using DealRisk.Scoring.TrackRecord;
using DealRisk.ServiceDefaults;

namespace DealRisk.Benchmarks;

/// <summary>
/// What the track record adds to every batch: judging the deals closed since training on the scores they had while open,
/// read from their score histories. <c>batches</c> daily batches of <c>deals</c> open deals are stored (5,000 per chunk,
/// as the batch writes them); then every deal closes, half of them after the training window (half of those lost), and
/// the batch's history outcomes and manifest go through scoring's batch refresh as the bus delivers them.
/// </summary>
public static class TrackRecordBench
{
    private const int ChunkSize = 5_000;

    public static async Task<BenchResult> RunAsync(int deals, int batches, string dataDirectory)
    {
        var builder = EmbeddedScoringHost.CreateBuilder(dataDirectory);
        builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddScoringConsumers());
        using var host = builder.Build();
        await host.StartAsync();

        var history = host.Services.GetRequiredService<IScoreHistory>();
        var firstBatch = new DateTimeOffset(2026, 9, 1, 14, 0, 0, TimeSpan.Zero);
        var random = new Random(3);
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < batches; batch++)
        {
            var asOf = firstBatch.AddDays(batch);
            for (var start = 0; start < deals; start += ChunkSize)
            {
                var scores = Enumerable.Range(start, Math.Min(ChunkSize, deals - start)).Select(i => Score(i, random.Next(0, 101))).ToList();
                var chunk = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(asOf.UtcDateTime), ChunkIndex = start / ChunkSize };
                var trigger = ScoreTrigger.ForBatch(chunk, asOf);
                await history.AppendAsync([.. scores.Select(score => ScoreHistoryEntry.Of(score, asOf, trigger))], (_, entry) => entry, CancellationToken.None);
            }
        }
        Console.WriteLine($"Stored {batches} batches of {deals:N0} scores in {clock.Elapsed.TotalSeconds:0.0} s.");

        var closedAt = firstBatch.AddDays(batches + 10);
        var trainedTo = DateOnly.FromDateTime(firstBatch.UtcDateTime).AddDays(-1);
        var store = host.Services.GetRequiredService<ScoreStore>();
        await store.TrackRecords.UpsertAsync(TrackRecordKeeper.LatestId, new TrackRecordUpdated
        {
            CorrelationId = Guid.NewGuid(), Trigger = "training", ComputedAt = firstBatch, ServedScorer = "rules", TrainedTo = trainedTo,
            HighThreshold = 55, CriticalThreshold = 75,
        });
        // The batch's history as the feature service publishes it: every closed deal, half of them closed before the training window.
        var batchId = Guid.NewGuid();
        var batchDay = DateOnly.FromDateTime(closedAt.UtcDateTime).AddDays(1);
        var closedDeals = Enumerable.Range(0, deals).Select(i => (Key: DealKey.Of("bench", $"D-{i:D7}"), ClosedAt: i < deals / 2 ? closedAt : firstBatch.AddDays(-30), Lost: i % 2 == 0)).ToList();
        var outcomes = Enumerable.Chunk(closedDeals, ChunkSize).Select((chunk, index) => new ClosedDealOutcomes
        {
            BatchId = batchId, CorrelationId = Guid.NewGuid(), AsOf = batchDay, ChunkIndex = index,
            Payload = ChunkPayload.Write(new OutcomeColumns
            {
                Keys = [.. chunk.Select(d => d.Key)],
                ClosedAtTicks = [.. chunk.Select(d => d.ClosedAt.UtcTicks)],
                Lost = [.. chunk.Select(d => d.Lost)],
                Industries = StringColumn.Of(chunk.Select((_, i) => (string?)$"Industry {i % 6}")),
                Regions = StringColumn.Of(chunk.Select((_, i) => (string?)$"Region {i % 4}")),
            }),
        }).ToList();
        var manifest = new DailyBatchSynced
        {
            BatchId = batchId, CorrelationId = Guid.NewGuid(), AsOf = batchDay, Trigger = "bench", HistoryChunkCount = outcomes.Count,
            OpenChunkCount = 0, HistoryDeals = deals, OpenDeals = 0, SyncedAt = closedAt,
        };
        var refresh = host.Services.GetRequiredService<BatchClosedDealRefresh>();

        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        foreach (var chunk in outcomes)
            await refresh.OnOutcomesAsync(chunk, CancellationToken.None);
        var refreshed = await refresh.OnBatchSyncedAsync(manifest, CancellationToken.None)
                        ?? throw new InvalidOperationException("The batch refreshed no track record.");
        var evaluations = refreshed.Evaluations.Where(e => e.Population == ScorerEvaluation.Populations.ClosedSinceTraining).ToList();
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var allocatedMiB = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
        await host.StopAsync();

        var judged = evaluations.Single(e => e.Scorer == "rules").Figures;
        var storedScores = (long)deals * batches;
        var closedSinceTraining = deals / 2;
        Console.WriteLine($"Judged {judged.Deals:N0} closed deals on {judged.Scores:N0} of {storedScores:N0} stored scores in {seconds:0.00} s ({cpuSeconds:0.00} s CPU, {allocatedMiB:0} MiB allocated).");
        return new BenchResult
        {
            Name = "track-record",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["storedScores"] = storedScores,
                ["path"] = "batch: ClosedDealOutcomes of every closed deal, then DailyBatchSynced",
                ["closedDeals"] = deals,
                ["closedDealsSinceTraining"] = closedSinceTraining,
                ["closedDealsJudged"] = judged.Deals,
                ["scoresJudged"] = judged.Scores,
                ["seconds"] = Math.Round(seconds, 2),
                ["cpuSeconds"] = Math.Round(cpuSeconds, 2),
                ["allocatedMiB"] = Math.Round(allocatedMiB, 1),
                ["cpuMicrosecondsPerStoredScore"] = Math.Round(cpuSeconds * 1e6 / storedScores, 2),
                ["loadAverage"] = BenchResult.LoadAverages(),
            },
            Targets = new Dictionary<string, object> { ["closedDealsJudged"] = closedSinceTraining, ["scoresJudged"] = (long)closedSinceTraining * batches },
            TargetsMet = judged.Deals == closedSinceTraining && judged.Scores == (long)closedSinceTraining * batches,
        };
    }

    private static DealProfile Profile(int i) => new()
    {
        Source = "bench", ExternalId = $"D-{i:D7}", Version = 3, Name = $"Deal {i}", Owner = $"rep_{i % 40}", Amount = 20_000 + i % 50_000,
        Stage = DealStages.Proposal, DaysInStage = i % 90, Industry = $"Industry {i % 6}", Region = $"Region {i % 4}",
    };

    private static DealRiskScore Score(int i, int score) => new()
    {
        Deal = Profile(i),
        Score = score,
        Level = score >= 75 ? RiskLevels.Critical : score >= 55 ? RiskLevels.High : score >= 30 ? RiskLevels.Medium : RiskLevels.Low,
        Reasons = ["No activity for 23 days", "Close date pushed 3 times"],
        Factors =
        [
            new ScoreReason { Signal = "days_since_last_activity", Value = 23, Points = 15, Rule = "no-activity-14" },
            new ScoreReason { Signal = "close_date_pushes", Value = 3, Points = 10, Rule = "pushed-3" },
        ],
        Action = "Re-engage the champion today; escalate if no reply",
        Scorer = "rules",
    };
}
