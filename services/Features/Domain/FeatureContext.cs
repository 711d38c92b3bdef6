namespace DealRisk.Features.Domain;

/// <summary>Outcome statistics turned into fast lookups: win rates, rep percentiles, normal time in stage, amount ranks.</summary>
public sealed class FeatureContext
{
    /// <summary>A segment needs this many closed deals before its win rate means anything.</summary>
    public const int MinimumClosedDeals = 5;

    private readonly Dictionary<(string, string), double> _winRates = new();
    private readonly double[] _sortedRepRates;
    private readonly Dictionary<string, double> _medianStageDays = new();
    private readonly double[] _sortedAmounts;
    private readonly long[] _dealsBelowAmount;
    private readonly long _dealsWithAmount;

    public FeatureContext(OutcomeStatistics statistics)
    {
        Statistics = statistics;
        OverallWinRate = statistics.Total >= MinimumClosedDeals ? (double)statistics.Won / statistics.Total : null;
        AverageCycleDays = statistics.Total > 0 ? statistics.CycleDaysSum / statistics.Total : null;
        foreach (var tally in statistics.Segments.Where(t => t.Total >= MinimumClosedDeals))
            _winRates[(tally.Dimension, tally.Key)] = (double)tally.Won / tally.Total;
        _sortedRepRates = _winRates.Where(r => r.Key.Item1 == OutcomeStatistics.Rep).Select(r => r.Value).Order().ToArray();
        foreach (var tally in statistics.WonStageDurations)
            if (Median(tally.DayCounts) is { } median) _medianStageDays[tally.Stage] = median;
        var amounts = statistics.Amounts.OrderBy(t => t.Amount).ToArray();
        _sortedAmounts = amounts.Select(t => t.Amount).ToArray();
        _dealsBelowAmount = new long[amounts.Length];
        for (var i = 1; i < amounts.Length; i++)
            _dealsBelowAmount[i] = _dealsBelowAmount[i - 1] + amounts[i - 1].Count;
        _dealsWithAmount = amounts.Length == 0 ? 0 : _dealsBelowAmount[^1] + amounts[^1].Count;
    }

    public OutcomeStatistics Statistics { get; }
    public double? OverallWinRate { get; }
    public double? AverageCycleDays { get; }

    public double? WinRate(string dimension, string? key) =>
        key is not null && _winRates.TryGetValue((dimension, key), out var rate) ? rate : null;

    /// <summary>Share of reps whose win rate is below this rep's (0 = worst rep).</summary>
    public double? RepPercentile(string? rep) =>
        WinRate(OutcomeStatistics.Rep, rep) is { } rate && _sortedRepRates.Length > 1
            ? (double)LowerBound(_sortedRepRates, rate) / (_sortedRepRates.Length - 1)
            : null;

    public double? MedianDaysInStage(string? stage) =>
        stage is not null && _medianStageDays.TryGetValue(stage, out var days) ? days : null;

    /// <summary>Share of closed deals with a smaller amount (amounts compared at four significant digits).</summary>
    public double? AmountPercentile(decimal? amount)
    {
        if (amount is not { } value || _dealsWithAmount == 0)
            return null;
        var index = LowerBound(_sortedAmounts, AmountTally.Round((double)value));
        return (double)(index < _sortedAmounts.Length ? _dealsBelowAmount[index] : _dealsWithAmount) / _dealsWithAmount;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0) return ~index;
        while (index > 0 && sorted[index - 1] == value) index--;
        return index;
    }

    private static double? Median(IReadOnlyList<int> histogram)
    {
        long total = 0;
        foreach (var count in histogram) total += count;
        if (total == 0) return null;
        long seen = 0;
        for (var day = 0; day < histogram.Count; day++)
        {
            seen += histogram[day];
            if (seen * 2 >= total) return day;
        }
        return histogram.Count - 1;
    }
}
