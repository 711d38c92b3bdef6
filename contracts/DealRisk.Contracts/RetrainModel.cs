namespace DealRisk.Contracts;

/// <summary>Asks the training job to train and evaluate new models (drift, schedule, operator).</summary>
public sealed record RetrainModel
{
    public required Guid CorrelationId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    /// <summary>Evaluate and backtest only: keep and promote nothing.</summary>
    public bool DryRun { get; init; }
}
