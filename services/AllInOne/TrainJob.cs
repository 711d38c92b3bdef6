using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using MassTransit;
using Spectre.Console;
using DealRisk.ServiceDefaults;

namespace DealRisk.AllInOne;

/// <summary>
/// The training job on a running embedded host: makes sure the feature service holds every deal ingestion holds, asks
/// for a retrain (features build the labelled set, scoring trains and gates), and prints what came out.
/// </summary>
public sealed class TrainJob(BusActivity activity, DealCopyReconciliation reconciliation, CompletionSignals<ModelTrained> signals, ModelReportWriter reports, IBus bus, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<ModelTrained> TrainAsync(string reason, TimeSpan timeout, CancellationToken cancellationToken, bool dryRun = false, DateOnly? asOf = null)
    {
        await WaitForDealCopiesAsync(cancellationToken);
        var request = new RetrainModel { CorrelationId = NewId.NextGuid(), Reason = reason, RequestedAt = time.GetUtcNow(), DryRun = dryRun, AsOf = asOf };
        var trained = signals.WaitAsync(request.CorrelationId, timeout, cancellationToken);
        await bus.SendCommandAsync(request, cancellationToken);
        return await trained;
    }

    /// <summary>The engine trains by itself when no model is served and the history may now be enough (<see cref="AutoTraining"/>); the batch then scores with what the gate allowed.</summary>
    /// <param name="asOf">The day the batch will score: the model's open-deal checks and drift reference are taken as of that day.</param>
    public static async Task<ModelTrained?> TrainIfDueAsync(IServiceProvider services, DateOnly asOf, CancellationToken cancellationToken)
    {
        if (!await services.GetRequiredService<AutoTraining>().DueAsync(cancellationToken))
            return null;
        AnsiConsole.WriteLine("No model served yet: training on the closed deals in the store");
        var trained = await ActivatorUtilities.CreateInstance<TrainJob>(services).TrainAsync(AutoTraining.Reason, TimeSpan.FromMinutes(30), cancellationToken, asOf: asOf);
        AnsiConsole.WriteLine(trained.Decision);
        return trained;
    }

    public void Print(ModelTrained trained)
    {
        AnsiConsole.WriteLine($"Training set: {trained.TrainingExamples} examples from {trained.WonDeals} won and {trained.LostDeals} lost deals"
                              + (trained.TrainedFrom is { } from ? $" ({from:yyyy-MM-dd} to {trained.TrainedTo:yyyy-MM-dd})" : ""));
        if (trained.RulesMetrics is { } rules)
        {
            var table = new Table().AddColumns("scorer", "ROC-AUC", "PR-AUC", "prec@alert", "recall@alert", "Brier", "holdout", "gate");
            table.AddRow(Row("rules", rules, "baseline"));
            foreach (var candidate in trained.Candidates)
                table.AddRow(Row(candidate.Trainer, candidate.Metrics, candidate.PassedGate ? "passed" : "failed"));
            AnsiConsole.Write(table);
        }
        AnsiConsole.WriteLine(trained.Decision);
        AnsiConsole.WriteLine($"Served: {trained.Served}{(trained.ServedModelVersion is { } version ? $" {version}" : "")}");
        if (trained.DryRun) return;
        foreach (var candidate in trained.Candidates)
            AnsiConsole.WriteLine($"  {candidate.Trainer} {candidate.ModelVersion}: {reports.DirectoryOf(candidate.ModelVersion)}");
    }

    public static void PrintBacktest(ModelTrained trained)
    {
        AnsiConsole.WriteLine("Backtest over the holdout's history (month-end replays of deals the models did not train on):");
        var table = new Table().AddColumns("scorer", "lost", "flagged", "median days", "mean days", "flagged deals", "precision");
        foreach (var result in trained.Backtests)
        {
            var scorer = trained.Candidates.FirstOrDefault(c => c.ModelVersion == result.Scorer)?.Trainer ?? result.Scorer;
            table.AddRow(Markup.Escape(scorer), $"{result.LostDeals}", $"{result.LostDealsFlagged}",
                result.MedianDaysFlaggedBeforeClose?.ToString("0") ?? "-", result.MeanDaysFlaggedBeforeClose?.ToString("0.0") ?? "-",
                $"{result.DealsFlagged}", $"{result.FlagPrecision:0.000}");
        }
        AnsiConsole.Write(table);
    }

    public static async Task WriteJsonAsync(ModelTrained trained, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(trained, Json), cancellationToken);
    }

    private static string[] Row(string name, ModelMetrics metrics, string gate) =>
    [
        Markup.Escape(name), $"{metrics.RocAuc:0.000}", $"{metrics.PrAuc:0.000}", $"{metrics.PrecisionAtAlert:0.000}",
        $"{metrics.RecallAtAlert:0.000}", $"{metrics.BrierScore:0.000}", $"{metrics.HoldoutDeals}", gate,
    ];

    /// <summary>
    /// Deal copies reach the feature service through DealSynced (or DealChanged) after the import returns: wait until those are consumed,
    /// then resync whatever is still missing (also copies lost by an earlier run), so training never sees a subset.
    /// </summary>
    private async Task WaitForDealCopiesAsync(CancellationToken cancellationToken)
    {
        await activity.WaitForIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), cancellationToken);
        var missing = await reconciliation.RunAsync(cancellationToken);
        if (missing.Count > 0)
            throw new InvalidOperationException($"{missing.Count} deals held by ingestion never reached the feature service (first: {missing[0]}); training would see a subset.");
    }
}
