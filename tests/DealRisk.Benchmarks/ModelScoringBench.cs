using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.SyntheticCrm;

namespace DealRisk.Benchmarks;

/// <summary>
/// The model's share of the daily batch on its own: N open deals in chunks of 5,000 scored by <see cref="ModelScorer"/>
/// (a model trained and gated on synthetic closed deals), with the CPU time and allocations it costs.
/// </summary>
public static class ModelScoringBench
{
    private const int ChunkSize = 5_000;

    public static BenchResult Run(int openDeals)
    {
        var deals = SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 5, DealCount = 20_000, AsOf = new DateOnly(2026, 11, 2) }).ToList();
        var rules = new RuleScorer(RuleSet.Default());
        var job = new TrainingJob(rules, new ModelGate(200, 200), seed: 42, holdoutShare: 0.25, TimeProvider.System);
        var run = job.Run(Guid.NewGuid(), RiskSignals.Names, TrainingSetBuilder.Build(deals), TrainingSetBuilder.Population(deals));
        var record = run.Promoted ?? throw new InvalidOperationException($"The gate served no model: {run.Result.Decision}");
        var served = new ServedRiskModel(record, RiskModel.Load(record.ModelBytes, new PlattCalibration(record.CalibrationA, record.CalibrationB), record.FeatureNames, record.Seed));

        var instant = new DateTimeOffset(2026, 11, 1, 23, 0, 0, TimeSpan.Zero);
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(deals));
        var open = deals.Where(deal => !deal.IsClosed).Select(deal => DealFeaturizer.Featurize(deal, instant, context)).ToList();
        var chunks = Enumerable.Range(0, (openDeals + ChunkSize - 1) / ChunkSize)
            .Select(c => new FeaturesComputed
            {
                CorrelationId = Guid.NewGuid(),
                AsOf = instant,
                FeatureNames = RiskSignals.Names,
                Deals = Enumerable.Range(c * ChunkSize, Math.Min(ChunkSize, openDeals - c * ChunkSize)).Select(i => open[i % open.Count]).ToList(),
            })
            .ToList();
        var scorer = new ModelScorer(rules);
        scorer.Score(chunks[0], served, batch: true);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var levels = new Dictionary<string, int>();
        var byModel = 0;
        foreach (var chunk in chunks)
        {
            foreach (var score in scorer.Score(chunk, served, batch: true))
            {
                levels[score.Level] = levels.GetValueOrDefault(score.Level) + 1;
                if (score.Scorer == ModelScorer.ScorerName) byModel++;
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var (transformMicroseconds, directMicroseconds, transformContributions, directContributions) = RawScoreCost(served, open.Take(ChunkSize).ToList(), Math.Max(1, openDeals / ChunkSize));

        return new BenchResult
        {
            Name = "model-batch-scoring",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["deals"] = openDeals,
                ["scoredByModel"] = byModel,
                ["modelVersion"] = record.ModelVersion,
                ["wallSeconds"] = Math.Round(seconds, 3),
                ["cpuSeconds"] = Math.Round(cpuSeconds, 3),
                ["cpuMicrosecondsPerDeal"] = Math.Round(cpuSeconds * 1e6 / openDeals, 2),
                ["allocatedBytesPerDeal"] = Math.Round((double)allocated / openDeals),
                ["levels"] = levels,
                ["rawScoreTransformCpuMicrosecondsPerRow"] = transformMicroseconds,
                ["rawScoreDirectCpuMicrosecondsPerRow"] = directMicroseconds,
                ["contributionsTransformCpuMicrosecondsPerRow"] = transformContributions,
                ["contributionsDirectCpuMicrosecondsPerRow"] = directContributions,
                ["directEvaluation"] = served.Model.TreesRefusal ?? "used",
                ["loadAverage"] = BenchResult.LoadAverages(),
            },
            Targets = new Dictionary<string, object> { ["cpuMicrosecondsPerDeal"] = 2 },
            TargetsMet = cpuSeconds * 1e6 / openDeals <= 2,
        };
    }

    /// <summary>CPU per row of the raw score alone, and of score with contributions, one chunk at a time: ML.NET's <c>Transform</c> against the trees evaluated directly.</summary>
    private static (double Transform, double Direct, double TransformContributions, double DirectContributions) RawScoreCost(ServedRiskModel served, IReadOnlyList<DealFeatureVector> deals, int chunks)
    {
        var positions = ModelRows.Positions(served.Record.FeatureNames, RiskSignals.Names);
        var rows = deals.Select(deal => ModelRows.Pick(deal.Values, positions)).ToList();
        var flat = rows.SelectMany(row => row).ToArray();
        double CpuMicrosecondsPerRow(Action score)
        {
            score();
            var process = Process.GetCurrentProcess();
            var before = process.TotalProcessorTime;
            for (var c = 0; c < chunks; c++) score();
            process.Refresh();
            return Math.Round((process.TotalProcessorTime - before).TotalMilliseconds * 1000 / (chunks * rows.Count), 3);
        }
        var transform = CpuMicrosecondsPerRow(() => served.Model.TransformScores(rows));
        var direct = served.Model.Trees is null ? double.NaN : CpuMicrosecondsPerRow(() => served.Model.RawScores(flat, rows.Count));
        var transformContributions = CpuMicrosecondsPerRow(() => served.Model.TransformPredictions(rows));
        var directContributions = served.Model.Trees is null ? double.NaN : CpuMicrosecondsPerRow(() => served.Model.Contributions(rows));
        return (transform, direct, transformContributions, directContributions);
    }
}
