using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// The newest score of one deal, as scoring published it, with what it was computed on (deal version, stage and days
/// in stage as scored), so a stale score can be told from a fresh one; ingestion keeps it only to answer <c>GET /deals</c>.
/// </summary>
public sealed record LatestScore
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required long DealVersion { get; init; }
    public required string Stage { get; init; }
    public int? DaysInStage { get; init; }
    public required int Score { get; init; }
    public required string Level { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public required string Action { get; init; }
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }

    public static LatestScore Of(DealRiskScore score, DateTimeOffset asOf) => new()
    {
        Source = score.Deal.Source,
        ExternalId = score.Deal.ExternalId,
        AsOf = asOf,
        DealVersion = score.Deal.Version,
        Stage = score.Deal.Stage,
        DaysInStage = score.Deal.DaysInStage,
        Score = score.Score,
        Level = score.Level,
        Reasons = score.Reasons,
        Action = score.Action,
        Scorer = score.Scorer,
        ModelVersion = score.ModelVersion,
    };
}

/// <summary>A read model of scores, written a chunk at a time so a million-deal batch costs a few hundred writes.</summary>
public sealed class LatestScores([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<LatestScore> _scores = store.GetCollection<LatestScore>("latest-scores");

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
            .Select(group => LatestScore.Of(group.MaxBy(score => score.Deal.Version)!, asOf))
            .Select(score => new VersionedDocument<LatestScore>(DealKey.Of(score.Source, score.ExternalId), Recency(score), score))
            .ToList();
        return newest.Count == 0 ? 0 : (await _scores.UpsertManyIfNewerAsync(newest, cancellationToken)).Count;
    }

    /// <summary>
    /// The deal version, then the as-of instant in milliseconds, in one number that orders scores as
    /// <see cref="ScoreRecency"/> does: 20 bits of version above 42 bits of milliseconds (until the year 2109).
    /// </summary>
    public static long Recency(LatestScore score) =>
        (Math.Clamp(score.DealVersion, 0, MaxVersion) << AsOfBits) | Math.Clamp(score.AsOf.ToUnixTimeMilliseconds(), 0, MaxAsOf);

    private const int AsOfBits = 42;
    private const long MaxAsOf = (1L << AsOfBits) - 1;
    private const long MaxVersion = (1L << 20) - 1;
}
