namespace DealRisk.Contracts;

/// <summary>Asks the training job to train and evaluate new models (drift, schedule, operator).</summary>
public sealed record RetrainModel
{
    public required Guid CorrelationId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    /// <summary>Evaluate and backtest only: keep and promote nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>The day the model will first serve: the open deals it is checked and drift-referenced against are featurized as of its end (default: the newest day in the data).</summary>
    public DateOnly? AsOf { get; init; }
}
