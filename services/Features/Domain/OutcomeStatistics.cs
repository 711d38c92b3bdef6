using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

public sealed record SegmentTally
{
    public required string Dimension { get; init; }
    public required string Key { get; init; }
    public int Won { get; init; }
    public int Total { get; init; }
}

/// <summary>Closed deals whose amount rounds to <see cref="Amount"/> (four significant digits).</summary>
public sealed record AmountTally
{
    public required double Amount { get; init; }
    public required int Count { get; init; }

    /// <summary>
    /// Four significant digits: at most about 9,000 distinct values per power of ten, so the statistics of any number
    /// of closed deals stay a small, bounded document, while a rank among them moves by well under a percent.
    /// </summary>
    public static double Round(double amount)
    {
        if (amount == 0 || !double.IsFinite(amount))
            return 0;
        var unit = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(amount))) - 3);
        return Math.Round(amount / unit) * unit;
    }
}

public sealed record StageDurationTally
{
    public required string Stage { get; init; }
    /// <summary>Won deals by whole days spent in the stage; the last bucket holds everything longer.</summary>
    public required IReadOnlyList<int> DayCounts { get; init; }
}

/// <summary>
/// What closed deals teach: win counts per segment, cycle lengths, how long won deals sat in each stage, and
/// amounts. Tallies add up, so each history chunk of a batch is counted on its own and the parts merged.
/// </summary>
public sealed record OutcomeStatistics
{
    public const int MaxTrackedDays = 730;
    public const string Rep = "rep";
    public const string Industry = "industry";
    public const string Region = "region";
    public const string LeadSource = "leadSource";
    public const string Product = "product";

    public int Won { get; init; }
    public int Total { get; init; }
    public double CycleDaysSum { get; init; }
    public IReadOnlyList<SegmentTally> Segments { get; init; } = [];
    public IReadOnlyList<StageDurationTally> WonStageDurations { get; init; } = [];
    public IReadOnlyList<AmountTally> Amounts { get; init; } = [];

    public static OutcomeStatistics Empty { get; } = new();

    public static OutcomeStatistics FromClosedDeals(IEnumerable<DealSnapshot> deals)
    {
        var builder = new OutcomeStatisticsBuilder();
        foreach (var deal in deals.Where(deal => deal.IsClosed && deal.ClosedAt is not null))
            builder.Add(deal);
        return builder.Build();
    }

    public static OutcomeStatistics Merge(IEnumerable<OutcomeStatistics> parts)
    {
        var builder = new OutcomeStatisticsBuilder();
        foreach (var part in parts)
            builder.Add(part);
        return builder.Build();
    }
}

internal sealed class OutcomeStatisticsBuilder
{
    private int _won;
    private int _total;
    private double _cycleDays;
    private readonly Dictionary<(string Dimension, string Key), (int Won, int Total)> _segments = new();
    private readonly Dictionary<string, int[]> _stageDays = new();
    private readonly Dictionary<double, int> _amounts = new();

    public void Add(DealSnapshot deal)
    {
        _total++;
        if (deal.IsWon) _won++;
        _cycleDays += Math.Max(0, (deal.ClosedAt!.Value - deal.CreatedAt).TotalDays);
        Count(OutcomeStatistics.Rep, deal.Owner, deal.IsWon);
        Count(OutcomeStatistics.Industry, deal.Industry, deal.IsWon);
        Count(OutcomeStatistics.Region, deal.Region, deal.IsWon);
        Count(OutcomeStatistics.LeadSource, deal.LeadSource, deal.IsWon);
        Count(OutcomeStatistics.Product, deal.Product, deal.IsWon);
        if (deal.Amount is { } amount) CountAmount(AmountTally.Round((double)amount), 1);
        if (!deal.IsWon) return;
        foreach (var (stage, days) in DealTimeline.StageDurations(deal))
            Days(stage)[Math.Clamp((int)days, 0, OutcomeStatistics.MaxTrackedDays)]++;
    }

    public void Add(OutcomeStatistics part)
    {
        _won += part.Won;
        _total += part.Total;
        _cycleDays += part.CycleDaysSum;
        foreach (var tally in part.Segments)
        {
            var current = _segments.GetValueOrDefault((tally.Dimension, tally.Key));
            _segments[(tally.Dimension, tally.Key)] = (current.Won + tally.Won, current.Total + tally.Total);
        }
        foreach (var tally in part.WonStageDurations)
        {
            var days = Days(tally.Stage);
            for (var i = 0; i < days.Length && i < tally.DayCounts.Count; i++) days[i] += tally.DayCounts[i];
        }
        foreach (var tally in part.Amounts)
            CountAmount(tally.Amount, tally.Count);
    }

    public OutcomeStatistics Build() => new()
    {
        Won = _won,
        Total = _total,
        CycleDaysSum = _cycleDays,
        Segments = _segments.Select(s => new SegmentTally { Dimension = s.Key.Dimension, Key = s.Key.Key, Won = s.Value.Won, Total = s.Value.Total }).ToList(),
        WonStageDurations = _stageDays.Select(s => new StageDurationTally { Stage = s.Key, DayCounts = s.Value }).ToList(),
        Amounts = _amounts.OrderBy(a => a.Key).Select(a => new AmountTally { Amount = a.Key, Count = a.Value }).ToList(),
    };

    private void CountAmount(double amount, int count) => _amounts[amount] = _amounts.GetValueOrDefault(amount) + count;

    private void Count(string dimension, string? key, bool won)
    {
        if (string.IsNullOrWhiteSpace(key)) return;
        var current = _segments.GetValueOrDefault((dimension, key));
        _segments[(dimension, key)] = (current.Won + (won ? 1 : 0), current.Total + 1);
    }

    private int[] Days(string stage)
    {
        if (!_stageDays.TryGetValue(stage, out var days))
            _stageDays[stage] = days = new int[OutcomeStatistics.MaxTrackedDays + 1];
        return days;
    }
}
