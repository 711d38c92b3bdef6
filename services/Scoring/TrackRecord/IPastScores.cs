namespace DealRisk.Scoring.TrackRecord;

/// <summary>A score a deal was given in the past, by whom and as of when.</summary>
public sealed record PastScore(string DealKey, DateTimeOffset AsOf, int Score, string Level, string Scorer, string? ModelVersion);

/// <summary>The scores deals were given while they were open.</summary>
public interface IPastScores
{
    IAsyncEnumerable<PastScore> ForDealsAsync(IReadOnlySet<string> dealKeys, CancellationToken cancellationToken);
}
