namespace DealRisk.Contracts;

/// <summary>
/// Asks scoring, which keeps each deal's newest score (the head of its score history), for one deal's
/// (request/response: answered with <see cref="DealLatestScoreFound"/>). Sent by ingestion's
/// <c>GET /deals/{source}/{externalId}</c>, bounded by a timeout. One score, not the whole history: the answer stays
/// small however long the deal has been scored.
/// </summary>
public sealed record GetDealLatestScore
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
}
