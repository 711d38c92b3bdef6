namespace DealRisk.Contracts;

/// <summary>An unlabelled feature vector of a deal open at a past instant, closed since or not: what the batch scored then.</summary>
public sealed record PopulationSnapshot
{
    public required DateTimeOffset At { get; init; }
    public required IReadOnlyList<double?> Values { get; init; }
}
