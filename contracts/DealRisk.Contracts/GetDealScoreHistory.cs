namespace DealRisk.Contracts;

/// <summary>
/// Asks scoring, which keeps every deal's score history, for one deal's (request/response: answered with
/// <see cref="DealScoreHistoryFound"/>). Sent by ingestion's <c>GET /deals/{source}/{externalId}/scores</c> and the
/// dashboard's deal page, each bounded by a timeout.
/// </summary>
public sealed record GetDealScoreHistory
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
}
