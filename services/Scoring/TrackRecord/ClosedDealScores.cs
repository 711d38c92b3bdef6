namespace DealRisk.Scoring.TrackRecord;

/// <summary>One score a deal had while it was open: when, how much, and the level it was flagged at.</summary>
public sealed record ScoredInstant(DateTimeOffset At, int Score, string Level);

/// <summary>A closed deal's outcome and the scores it had while open.</summary>
public sealed record ClosedDealScores(string Key, string? Industry, string? Region, bool Lost, DateTimeOffset ClosedAt, IReadOnlyList<ScoredInstant> Scores);
