using DealRisk.Contracts;
using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// The engine trains by itself: while no model is served, a training is due when none has run yet or the last one
/// found too little closed history (cheap to retry as history grows). Once the gate has judged a full training set,
/// the regular schedule (and drift) retrain.
/// </summary>
public sealed class AutoTraining(ScoreStore store, ServedModels served)
{
    public const string Reason = "no model served";

    public async Task<bool> DueAsync(CancellationToken cancellationToken)
    {
        if ((await served.CurrentAsync(cancellationToken)).Model is not null)
            return false;
        ModelTrained? last = null;
        await foreach (var run in store.TrainingRuns.ScanAsync(cancellationToken))
        {
            if (!run.DryRun && (last is null || run.FinishedAt > last.FinishedAt))
                last = run;
        }
        return last is null || last.Refused;
    }
}
