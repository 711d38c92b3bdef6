namespace DealRisk.Contracts;

/// <summary>A deal escalated into a level that alerts (CRITICAL); raised once per escalation.</summary>
public sealed record RiskAlertRaised
{
    public required Guid CorrelationId { get; init; }
    public required DealRiskScore Score { get; init; }
    public string? PreviousLevel { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
}
