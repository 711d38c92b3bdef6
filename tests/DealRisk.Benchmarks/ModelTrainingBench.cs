using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Scoring.Modeling;
using DealRisk.SyntheticCrm;

namespace DealRisk.Benchmarks;

/// <summary>
/// FastForest (and FastTree) training on N closed synthetic deals, one point-in-time row per deal (its last month-end
/// while open). Only the trainer is timed: trees on the older 80 %, Platt calibration on the newest 20 %, contributions step.
/// </summary>
public static class ModelTrainingBench
{
    public static BenchResult Run(int closedDeals)
    {
        var clock = Stopwatch.StartNew();
        var deals = SyntheticCrmGenerator.Generate(new SyntheticCrmOptions
        {
            Seed = 17, DealCount = closedDeals * 5 / 4, AsOf = new DateOnly(2026, 11, 2), OpenShare = 0.05,
        }).ToList();
        var examples = TrainingSetBuilder.Build(deals)
            .GroupBy(example => example.Vector.Deal.ExternalId)
            .Select(group => group.MaxBy(example => example.At)!)
            .OrderBy(example => example.ClosedAt)
            .Take(closedDeals)
            .ToList();
        var rows = examples.Select(example => ModelRows.FromValues(example.Vector.Values)).ToList();
        var lost = examples.Select(example => example.Lost).ToList();
        Console.WriteLine($"Prepared {rows.Count:N0} rows × {RiskSignals.Names.Count} features from {deals.Count:N0} generated deals in {clock.Elapsed.TotalSeconds:0.0} s.");

        var trainer = new ModelTrainer(seed: 42);
        trainer.Train(ModelTrainer.FastForest, rows.Take(5_000).ToList(), lost.Take(5_000).ToList(), RiskSignals.Names);
        var figures = new Dictionary<string, object> { ["rows"] = rows.Count, ["features"] = RiskSignals.Names.Count, ["trees"] = 100 };
        foreach (var name in ModelTrainer.Trainers)
        {
            clock.Restart();
            trainer.Train(name, rows, lost, RiskSignals.Names);
            figures[$"{name}Seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
            Console.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:0.00} s");
        }

        var seconds = (double)figures[$"{ModelTrainer.FastForest}Seconds"];
        return new BenchResult
        {
            Name = "model-training",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = figures,
            Targets = new Dictionary<string, object> { [$"{ModelTrainer.FastForest}Seconds"] = 3, ["rows"] = closedDeals },
            TargetsMet = rows.Count >= closedDeals && seconds <= 3,
        };
    }
}
