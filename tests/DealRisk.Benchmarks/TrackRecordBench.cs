using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Scoring;
using DealRisk.Scoring.TrackRecord;
using DealRisk.ServiceDefaults;

namespace DealRisk.Benchmarks;

/// <summary>
/// What the track record adds to a training: judging the deals closed since training on the scores the stored daily
/// batches gave them, which reads every stored batch chunk. <c>batches</c> daily batches of <c>deals</c> open deals are
/// stored (5,000 per chunk, as the batch writes them); half the deals then close, half of those lost.
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
        var examples = Enumerable.Range(0, deals / 2).Select(i => new TrainingExample
        {
            Vector = new DealFeatureVector { Deal = Profile(i), Values = new double?[30] },
            At = closedAt.AddDays(-20),
            ClosedAt = closedAt,
            Lost = i % 2 == 0,
        }).ToList();
        var evaluation = host.Services.GetRequiredService<TrainingTrackRecord>();

        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var evaluations = await evaluation.ClosedSinceAsync(DateOnly.FromDateTime(firstBatch.UtcDateTime).AddDays(-1), null, examples, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var allocatedMiB = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
        await host.StopAsync();

        var judged = evaluations.Single(e => e.Scorer == "rules").Figures;
        var storedScores = (long)deals * batches;
        Console.WriteLine($"Judged {judged.Deals:N0} closed deals on {judged.Scores:N0} of {storedScores:N0} stored scores in {seconds:0.00} s ({cpuSeconds:0.00} s CPU, {allocatedMiB:0} MiB allocated).");
        return new BenchResult
        {
            Name = "track-record",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["storedScores"] = storedScores,
                ["closedDeals"] = examples.Count,
                ["closedDealsJudged"] = judged.Deals,
                ["scoresJudged"] = judged.Scores,
                ["seconds"] = Math.Round(seconds, 2),
                ["cpuSeconds"] = Math.Round(cpuSeconds, 2),
                ["allocatedMiB"] = Math.Round(allocatedMiB, 1),
                ["cpuMicrosecondsPerStoredScore"] = Math.Round(cpuSeconds * 1e6 / storedScores, 2),
                ["loadAverage"] = BenchResult.LoadAverages(),
            },
            Targets = new Dictionary<string, object> { ["closedDealsJudged"] = examples.Count, ["scoresJudged"] = (long)examples.Count * batches },
            TargetsMet = judged.Deals == examples.Count && judged.Scores == (long)examples.Count * batches,
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
