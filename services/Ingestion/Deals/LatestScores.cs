using System.Buffers.Binary;
using DealRisk.Contracts;
using DealRisk.Storage;
using MemoryPack;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// The newest score of one deal, as scoring published it (the deal version, stage and days in stage it was computed
/// on travel in its profile), and the as-of instant it was scored for; ingestion keeps it only to answer <c>GET /deals</c>.
/// </summary>
public sealed record LatestScore(DateTimeOffset AsOf, DealRiskScore Score);

/// <summary>
/// A read model of scores: one binary row per deal (the score in MemoryPack, version tolerant), versioned by
/// <see cref="Recency"/>, written a chunk at a time in one conditional bulk write. Scores a
/// release before this one stored as BSON documents (<c>latest-deal-scores</c>) are moved over at start-up.
/// </summary>
public sealed class LatestScores(
    [FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store,
    ILogger<LatestScores> logger) : IStoreMigration
{
    /// <summary>Where releases before the binary rows kept the scores, one BSON document per deal.</summary>
    public const string LegacyCollection = "latest-deal-scores";

    private readonly IBinaryCollection _scores = store.GetBinaryCollection("latest-scores");

    public async Task<LatestScore?> GetAsync(string source, string externalId, CancellationToken cancellationToken) =>
        await _scores.GetAsync(DealKey.Of(source, externalId), cancellationToken) is { } row ? Decode(row) : null;

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
            .Select(group => Encode(new LatestScore(asOf, group.MaxBy(score => score.Deal.Version)!)))
            .ToList();
        return newest.Count == 0 ? 0 : (await _scores.UpsertManyIfNewerAsync(newest, cancellationToken)).Count;
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        var moved = await LayoutMigration.MoveAsync(store.GetCollection<LatestScore>(LegacyCollection), _scores, Encode, ct);
        if (moved > 0)
            logger.LogInformation("Moved {Scores} latest scores from the per-deal BSON documents of '{Legacy}' to binary rows", moved, LegacyCollection);
    }

    /// <summary>
    /// The deal version, then the as-of instant in milliseconds, in one number that orders scores as
    /// <see cref="ScoreRecency"/> does: 20 bits of version above 42 bits of milliseconds (until the year 2109).
    /// </summary>
    public static long Recency(LatestScore latest) =>
        (Math.Clamp(latest.Score.Deal.Version, 0, MaxVersion) << AsOfBits) | Math.Clamp(latest.AsOf.ToUnixTimeMilliseconds(), 0, MaxAsOf);

    /// <summary>The as-of (UTC ticks, offset minutes) in front of the score.</summary>
    public static BinaryRow Encode(LatestScore latest)
    {
        var score = MemoryPackSerializer.Serialize(latest.Score);
        var payload = new byte[HeaderBytes + score.Length];
        BinaryPrimitives.WriteInt64LittleEndian(payload, latest.AsOf.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(payload.AsSpan(8), (short)latest.AsOf.TotalOffsetMinutes);
        score.CopyTo(payload, HeaderBytes);
        return new BinaryRow(DealKey.Of(latest.Score.Deal), Recency(latest), payload);
    }

    public static LatestScore Decode(BinaryRow row)
    {
        if (row.Payload.Length <= HeaderBytes)
            throw new InvalidDataException($"The latest score of '{row.Id}' is {row.Payload.Length} bytes, too short to hold one.");
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(row.Payload);
        var offset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(row.Payload.AsSpan(8)));
        DealRiskScore? score;
        try
        {
            score = MemoryPackSerializer.Deserialize<DealRiskScore>(row.Payload.AsSpan(HeaderBytes));
        }
        catch (MemoryPackSerializationException e)
        {
            throw new InvalidDataException($"The latest score of '{row.Id}' cannot be read: {e.Message}", e);
        }
        return new LatestScore(new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset),
            score ?? throw new InvalidDataException($"The latest score of '{row.Id}' holds nothing."));
    }

    private const int HeaderBytes = 10;
    private const int AsOfBits = 42;
    private const long MaxAsOf = (1L << AsOfBits) - 1;
    private const long MaxVersion = (1L << 20) - 1;
}
