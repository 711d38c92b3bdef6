using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Scoring.Modeling;

/// <summary>Announces that scoring handed over to the rules: to notification (model status) and to the operators.</summary>
public static class RulesFallback
{
    public static async Task AnnounceAsync(ConsumeContext context, string? modelVersion, string message, string alertKind, IReadOnlyList<FeatureDrift> drift, DateTimeOffset now)
    {
        await context.Publish(new ScoringFellBackToRules
        {
            CorrelationId = context.CorrelationId ?? NewId.NextGuid(),
            ModelVersion = modelVersion,
            Reason = message,
            Drift = drift,
            FellBackAt = now,
        }, context.CancellationToken);
        await context.Publish(new OperatorAlertRaised
        {
            CorrelationId = context.CorrelationId ?? NewId.NextGuid(),
            Kind = alertKind,
            Severity = "warning",
            Message = message,
            Source = ScoringServiceExtensions.ServiceName,
            RaisedAt = now,
        }, context.CancellationToken);
    }
}
