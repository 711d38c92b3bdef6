namespace DealRisk.Contracts;

/// <summary>
/// Which of two scores of one deal is its current one: the one computed on the later deal version, and for the same
/// version the later as-of. Batch and real-time scores are ordered alike, whatever path produced them.
/// </summary>
public static class ScoreRecency
{
    public static bool IsNewer(long version, DateTimeOffset asOf, long thanVersion, DateTimeOffset thanAsOf) =>
        version > thanVersion || (version == thanVersion && asOf > thanAsOf);
}
