using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Scoring;
using DealRisk.ServiceDefaults;

namespace DealRisk.Benchmarks;

/// <summary>
/// Whether a morning's score history costs the same on the hundredth day as on the second: <c>days</c> daily batches of
/// <c>deals</c> scores appended to a fresh embedded store as scoring appends them (chunks of 5,000, each score completed
/// against the deal's previous one), each day timed. The daily-batch benchmark runs on two days of history; a book
/// that has been scored for a year holds up to <c>ScoreHistory__RetentionDays</c> of them.
/// </summary>
public static class HistoryDepthBench
{
    private const int ChunkSize = 5_000;
    private const int DaysAveraged = 5;
    private const double AllowedGrowth = 1.25;

    public static async Task<BenchResult> RunAsync(int deals, int days, string dataDirectory)
    {
        if (days < 2 * DaysAveraged + 1)
            throw new ArgumentOutOfRangeException(nameof(days), $"At least {2 * DaysAveraged + 1} days: the first, then {DaysAveraged} early and {DaysAveraged} late ones to compare.");
        var builder = EmbeddedScoringHost.CreateBuilder(dataDirectory);
        builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddScoringConsumers());
        var host = builder.Build();
        await host.StartAsync();
        var history = host.Services.GetRequiredService<IScoreHistory>();

        var firstDay = new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero);
        var random = new Random(11);
        var seconds = new double[days];
        var cpuSeconds = new double[days];
        var process = Process.GetCurrentProcess();
        for (var day = 0; day < days; day++)
        {
            var asOf = firstDay.AddDays(day);
            var chunk = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(asOf.UtcDateTime), ChunkIndex = 0 };
            var trigger = HistoryTrigger.Of(ScoreTrigger.ForBatch(chunk, asOf));
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < deals; start += ChunkSize)
            {
                var entries = Enumerable.Range(start, Math.Min(ChunkSize, deals - start))
                    .Select(i => ScoreHistoryEntry.Of(Score(i, day, random), asOf, trigger)).ToList();
                await history.AppendAsync(entries, Complete, CancellationToken.None);
            }
            seconds[day] = clock.Elapsed.TotalSeconds;
            process.Refresh();
            cpuSeconds[day] = (process.TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"Day {day + 1}: {deals:N0} scores appended in {seconds[day]:0.00} s ({cpuSeconds[day]:0.00} s CPU).");
        }
        await host.StopAsync();
        // Disposed first, so the store's write-ahead log is folded into its file.
        host.Dispose();

        // The first day has no previous scores to read; the next ones are the early mornings.
        var early = seconds.Skip(1).Take(DaysAveraged).Average();
        var late = seconds.TakeLast(DaysAveraged).Average();
        var storeBytes = new FileInfo(Path.Combine(dataDirectory, "scoring.db")).Length;
        // Gigabytes of scores nothing else reads.
        Directory.Delete(dataDirectory, recursive: true);
        var growth = late / early;
        return new BenchResult
        {
            Name = "history-depth",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["deals"] = deals,
                ["days"] = days,
                ["secondsPerDay"] = seconds.Select(s => Math.Round(s, 2)).ToArray(),
                ["cpuSecondsPerDay"] = cpuSeconds.Select(s => Math.Round(s, 2)).ToArray(),
                ["earlyDaysSeconds"] = Math.Round(early, 2),
                ["earlyDaysCover"] = $"days 2 to {DaysAveraged + 1}, averaged",
                ["lateDaysSeconds"] = Math.Round(late, 2),
                ["lateDaysCover"] = $"the last {DaysAveraged} days, averaged",
                ["lateOverEarly"] = Math.Round(growth, 2),
                ["storeMiB"] = Math.Round(storeBytes / (1024.0 * 1024), 1),
                ["storeBytesPerScore"] = Math.Round(storeBytes / ((double)deals * days), 1),
                ["loadAverage"] = BenchResult.LoadAverages(),
            },
            Targets = new Dictionary<string, object> { ["lateOverEarly"] = AllowedGrowth },
            TargetsMet = growth <= AllowedGrowth,
        };
    }

    /// <summary>The movement the batch records, measured against the previous score read back from the history.</summary>
    private static ScoreHistoryEntry Complete(ScoreHistoryEntry? previous, ScoreHistoryEntry entry) => previous is null ? entry : entry with
    {
        Movement = new HistoryMovement(previous.Score, previous.Level, previous.AsOf, entry.Score - previous.Score, [], [], [], [], [],
            $"Moved {entry.Score - previous.Score:+0;-0;0} since {previous.AsOf:yyyy-MM-dd}"),
    };

    /// <summary>A score drifting a little from day to day, with the model's contributions when it is HIGH or CRITICAL, as the batch keeps them.</summary>
    private static DealRiskScore Score(int i, int day, Random random)
    {
        var score = Math.Clamp((i * 37 % 100) + random.Next(-3, 4) + day / 10, 0, 100);
        var flagged = score >= 55;
        return new DealRiskScore
        {
            Deal = new DealProfile
            {
                Source = "bench", ExternalId = $"D-{i:D7}", Version = 3, Name = $"Deal {i}", Owner = $"rep_{i % 40}", Amount = 20_000 + i % 50_000,
                Stage = DealStages.Proposal, DaysInStage = i % 90 + day, Industry = $"Industry {i % 6}", Region = $"Region {i % 4}",
            },
            Score = score,
            Level = score >= 75 ? RiskLevels.Critical : flagged ? RiskLevels.High : score >= 30 ? RiskLevels.Medium : RiskLevels.Low,
            Reasons = [$"No activity for {i % 60 + day} days", $"Stalled: {1 + i % 7}.{day % 10}× the normal time in Proposal"],
            Factors =
            [
                new ScoreReason { Signal = "days_since_last_activity", Value = i % 60 + day, Points = 15, Rule = "no-activity-14" },
                new ScoreReason { Signal = "stage_duration_ratio", Value = 1 + i % 7 + day % 10 / 10.0, Points = 10, Rule = "stalled" },
            ],
            Contributions = flagged
                ? [.. Enumerable.Range(0, 12).Select(f => new ScoreReason { Signal = $"feature_{f}", Value = random.Next(0, 200), Points = Math.Round(random.NextDouble() - 0.5, 4) })]
                : null,
            RawScore = flagged ? Math.Round(random.NextDouble(), 6) : null,
            Action = flagged ? "Re-engage the champion today; escalate if no reply" : "Keep the next step on the calendar",
            Scorer = "model",
            ModelVersion = "fasttree-20260101-000000-bench",
        };
    }
}
