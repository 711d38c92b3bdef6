namespace DealRisk.Notification.TrackRecord;

/// <summary>Lead times (days from a lost deal's first HIGH flag to its close) as quartiles and as counts per range of days.</summary>
public static class LeadTimeDistribution
{
    public static readonly IReadOnlyList<(int From, int? To)> Buckets = [(0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 180), (181, null)];

    public static string Label((int From, int? To) bucket) => bucket.To is { } to ? $"{bucket.From}–{to}" : $"{bucket.From}+";

    public static IReadOnlyList<int> Counts(IReadOnlyList<int> days) =>
        Buckets.Select(b => days.Count(d => d >= b.From && (b.To is null || d <= b.To))).ToList();

    /// <summary>The value below which this share of the (ascending) lead times lie, nearest rank; null without any.</summary>
    public static int? Quantile(IReadOnlyList<int> ascending, double share) =>
        ascending.Count == 0 ? null : ascending[Math.Clamp((int)Math.Ceiling(share * ascending.Count) - 1, 0, ascending.Count - 1)];
}
