namespace DealRisk.Contracts;

/// <summary>Something operators must know (model fallback, late report, refused model file, no CRM data): routed to the operators' channel.</summary>
public sealed record OperatorAlertRaised
{
    public required Guid CorrelationId { get; init; }
    /// <summary>A stable kind for routing and de-duplication, e.g. scoring-fallback, report-late, crm-data-unavailable.</summary>
    public required string Kind { get; init; }
    /// <summary>info, warning or critical.</summary>
    public required string Severity { get; init; }
    public required string Message { get; init; }
    public required string Source { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
}
