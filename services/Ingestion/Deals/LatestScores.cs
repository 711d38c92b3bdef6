using DealRisk.Contracts;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>The newest score of one deal, as scoring published it; ingestion keeps it only to answer <c>GET /deals</c>.</summary>
public sealed record LatestScore
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required long DealVersion { get; init; }
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
    /// Keeps each score unless a newer one (later as-of, or the same as-of for a later deal version) is stored, in one
    /// conditional bulk write, so concurrent replicas cannot put an older score back; returns how many were written.
    /// </summary>
    public async Task<int> SaveNewerAsync(DealScored scored, CancellationToken cancellationToken)
    {
        var newest = scored.Scores
            .GroupBy(score => DealKey.Of(score.Deal))
            .Select(group => LatestScore.Of(group.MaxBy(score => score.Deal.Version)!, scored.AsOf))
            .Select(score => new VersionedDocument<LatestScore>(DealKey.Of(score.Source, score.ExternalId), Recency(score), score))
            .ToList();
        return newest.Count == 0 ? 0 : (await _scores.UpsertManyIfNewerAsync(newest, cancellationToken)).Count;
    }

    /// <summary>
    /// As-of in milliseconds, then the deal version, in one number that orders scores as "newer" means. Deal versions
    /// count a deal's changes; past about a million of them the version stops telling same-instant scores apart.
    /// </summary>
    public static long Recency(LatestScore score) =>
        score.AsOf.ToUnixTimeMilliseconds() * DealVersionSlots + Math.Clamp(score.DealVersion, 0, DealVersionSlots - 1);

    private const long DealVersionSlots = 1 << 20;
}
