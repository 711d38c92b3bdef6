using DealRisk.Contracts;

namespace DealRisk.Notification.TrackRecord;

/// <summary>Lead times (days from a lost deal's first HIGH flag to its close) as quartiles and as counts per range of days.</summary>
public static class LeadTimeDistribution
{
    public static readonly IReadOnlyList<(int From, int? To)> Buckets = [(0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 180), (181, null)];

    public static string Label((int From, int? To) bucket) => bucket.To is { } to ? $"{bucket.From}–{to}" : $"{bucket.From}+";

    public static int LostDeals(IReadOnlyList<LeadTime> leadTimes) => leadTimes.Sum(l => l.LostDeals);

    public static IReadOnlyList<int> Counts(IReadOnlyList<LeadTime> leadTimes) =>
        Buckets.Select(b => leadTimes.Where(l => l.Days >= b.From && (b.To is null || l.Days <= b.To)).Sum(l => l.LostDeals)).ToList();

    /// <summary>The lead time below which this share of the lost deals lie (nearest rank); null without any.</summary>
    public static int? Quantile(IReadOnlyList<LeadTime> leadTimes, double share)
    {
        var total = LostDeals(leadTimes);
        if (total == 0) return null;
        var rank = Math.Clamp((int)Math.Ceiling(share * total), 1, total);
        var seen = 0;
        foreach (var leadTime in leadTimes.OrderBy(l => l.Days))
        {
            seen += leadTime.LostDeals;
            if (seen >= rank) return leadTime.Days;
        }
        return null;
    }
}
