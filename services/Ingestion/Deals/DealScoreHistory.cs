using DealRisk.Contracts;
using DealRisk.ScoreHistory;

namespace DealRisk.Ingestion.Deals;

/// <summary>Each deal's scores as scoring published them (with trigger and movement), for <c>GET /deals/{source}/{externalId}/scores</c>.</summary>
public sealed class DealScoreHistory(IScoreHistory history)
{
    public Task RecordAsync(DealScored scored, CancellationToken cancellationToken) => history.RecordAsync(scored, cancellationToken);

    public Task RecordAsync(DealChunkScored chunk, IReadOnlyList<DealRiskScore> scores, CancellationToken cancellationToken) =>
        history.RecordAsync(chunk, scores, cancellationToken);

    public Task<IReadOnlyList<ScoreHistoryEntry>> ReadAsync(string source, string externalId, CancellationToken cancellationToken) =>
        history.ReadAsync(DealKey.Of(source, externalId), cancellationToken);
}
