namespace DealRisk.Contracts;

/// <summary>A training run finished: what each candidate and the rules scored on the same holdout, and what the gate serves.</summary>
public sealed record ModelTrained
{
    public required Guid CorrelationId { get; init; }
    /// <summary>"rules" or "model".</summary>
    public required string Served { get; init; }
    public string? ServedModelVersion { get; init; }
    /// <summary>Why the gate decided as it did, or why the training set was refused.</summary>
    public required string Decision { get; init; }
    public required bool Refused { get; init; }
    public required int WonDeals { get; init; }
    public required int LostDeals { get; init; }
    public required int TrainingExamples { get; init; }
    public ModelMetrics? RulesMetrics { get; init; }
    public IReadOnlyList<ModelCandidate> Candidates { get; init; } = [];
    /// <summary>The rules and each candidate replayed over the holdout's history.</summary>
    public IReadOnlyList<BacktestResult> Backtests { get; init; } = [];
    public bool DryRun { get; init; }
    /// <summary>Features that alone ranked the holdout implausibly well: suspected of being known only at close.</summary>
    public IReadOnlyList<string> SuspectedLeaks { get; init; } = [];
    /// <summary>Features left out of the models because training snapshots and today's open deals disagree on them, each with why.</summary>
    public IReadOnlyList<string> LeftOutFeatures { get; init; } = [];
    public DateOnly? TrainedFrom { get; init; }
    public DateOnly? TrainedTo { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
}

public sealed record ModelCandidate
{
    public required string ModelVersion { get; init; }
    /// <summary>FastForest or FastTree.</summary>
    public required string Trainer { get; init; }
    public required ModelMetrics Metrics { get; init; }
    public required bool PassedGate { get; init; }
    /// <summary>Why the gate refused this candidate, when it did.</summary>
    public string? GateReason { get; init; }
    public IReadOnlyList<FeatureImportance> FeatureImportances { get; init; } = [];
}
