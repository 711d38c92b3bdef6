using DealRisk.Contracts;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>One score a deal had while it was open: when, how much, and the level it was flagged at.</summary>
public sealed record ScoredInstant(DateTimeOffset At, int Score, string Level);

/// <summary>A closed deal's outcome and the scores it had while open.</summary>
public sealed record ClosedDealScores(string Key, string? Industry, string? Region, bool Lost, DateTimeOffset ClosedAt, IReadOnlyList<ScoredInstant> Scores);

/// <summary>How a deal ended: when it closed, lost or won, and its segment.</summary>
public sealed record ClosedOutcome
{
    public required string Key { get; init; }
    public required DateTimeOffset ClosedAt { get; init; }
    public required bool Lost { get; init; }
    public string? Industry { get; init; }
    public string? Region { get; init; }

    /// <summary>The last instant of a day: a deal closed after it closed after that day.</summary>
    public static DateTimeOffset EndOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);

    public static ClosedOutcome Of(TrainingExample example) => new()
    {
        Key = DealKey.Of(example.Vector.Deal),
        ClosedAt = example.ClosedAt,
        Lost = example.Lost,
        Industry = example.Vector.Deal.Industry,
        Region = example.Vector.Deal.Region,
    };

    /// <summary>The deals of a batch history chunk that closed after <paramref name="after"/>.</summary>
    public static IEnumerable<ClosedOutcome> ClosedAfter(OutcomeColumns columns, DateTimeOffset after)
    {
        for (var row = 0; row < columns.Count; row++)
            if (columns.ClosedAt(row) > after)
                yield return new ClosedOutcome
                {
                    Key = columns.Keys[row],
                    ClosedAt = columns.ClosedAt(row),
                    Lost = columns.Lost[row],
                    Industry = columns.Industries[row],
                    Region = columns.Regions[row],
                };
    }
}
