using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// The newest score of one deal, as scoring published it (the deal version, stage and days in stage it was computed
/// on travel in its profile), and the as-of instant it was scored for; ingestion keeps it only to answer <c>GET /deals</c>.
/// </summary>
public sealed record LatestScore(DateTimeOffset AsOf, DealRiskScore Score);

/// <summary>A read model of scores, written a chunk at a time so a million-deal batch costs a few hundred writes.</summary>
public sealed class LatestScores([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<LatestScore> _scores = store.GetCollection<LatestScore>("latest-deal-scores");

    public Task<LatestScore?> GetAsync(string source, string externalId, CancellationToken cancellationToken) =>
        _scores.GetAsync(DealKey.Of(source, externalId), cancellationToken);

    /// <summary>
    /// Keeps each score unless a newer one (<see cref="ScoreRecency"/>) is stored, in one conditional bulk write, so
    /// concurrent replicas cannot put an older score back; returns how many were written.
    /// </summary>
    public Task<int> SaveNewerAsync(DealScored scored, CancellationToken cancellationToken) =>
        SaveNewerAsync(scored.Scores, scored.AsOf, cancellationToken);

    public async Task<int> SaveNewerAsync(IEnumerable<DealRiskScore> scores, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var newest = scores
            .GroupBy(score => DealKey.Of(score.Deal))
            .Select(group => new LatestScore(asOf, group.MaxBy(score => score.Deal.Version)!))
            .Select(latest => new VersionedDocument<LatestScore>(DealKey.Of(latest.Score.Deal), Recency(latest), latest))
            .ToList();
        return newest.Count == 0 ? 0 : (await _scores.UpsertManyIfNewerAsync(newest, cancellationToken)).Count;
    }

    /// <summary>
    /// The deal version, then the as-of instant in milliseconds, in one number that orders scores as
    /// <see cref="ScoreRecency"/> does: 20 bits of version above 42 bits of milliseconds (until the year 2109).
    /// </summary>
    public static long Recency(LatestScore latest) =>
        (Math.Clamp(latest.Score.Deal.Version, 0, MaxVersion) << AsOfBits) | Math.Clamp(latest.AsOf.ToUnixTimeMilliseconds(), 0, MaxAsOf);

    private const int AsOfBits = 42;
    private const long MaxAsOf = (1L << AsOfBits) - 1;
    private const long MaxVersion = (1L << 20) - 1;
}
