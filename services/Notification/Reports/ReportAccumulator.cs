using DealRisk.Contracts;
using DealRisk.Notification.Movers;

namespace DealRisk.Notification.Reports;

/// <summary>Folds scored deals one at a time into the report's summary: counts, ACV at risk, top deals, risk by segment and rep.</summary>
public sealed class ReportAccumulator(DateOnly asOf, int topCount = 10, int maxCritical = 500)
{
    private readonly Dictionary<string, int> _byLevel = new();
    private readonly Dictionary<string, (int Deals, decimal Acv)> _bySegment = new();
    private readonly Dictionary<string, (int Deals, decimal Acv)> _byRep = new();
    private readonly PriorityQueue<DealRiskScore, (int, decimal)> _top = new();
    private readonly PriorityQueue<DealRiskScore, (int, decimal)> _critical = new();
    private readonly HashSet<(string Scorer, string? ModelVersion)> _scorers = new();
    private readonly HashSet<string> _scoredBy = new();
    private readonly MoverTally _movers = new(topCount);
    private int _open, _highRisk, _criticalCount, _flagged;
    private decimal _acvAtRisk;

    public void Add(DealRiskScore score) => Add(ReportRow.Of(score));

    public void Add(in ReportRow row)
    {
        _open++;
        _movers.Add(row);
        var level = row.Level;
        _byLevel[level] = _byLevel.GetValueOrDefault(level) + 1;
        _scorers.Add((row.Scorer, row.ModelVersion));
        if (row.DataQualityFlag) _flagged++;
        var score = row.Score;
        var amount = row.Amount ?? 0;
        var priority = (score, amount);
        Keep(_top, row, priority, topCount);

        if (RiskLevels.Rank(level) < RiskLevels.Rank(RiskLevels.High)) return;
        _highRisk++;
        _acvAtRisk += amount;
        Tally(_bySegment, row.Industry ?? "(none)", amount);
        Tally(_byRep, row.Owner ?? "(unassigned)", amount);
        if (level != RiskLevels.Critical) return;
        _criticalCount++;
        Keep(_critical, row, priority, maxCritical);
    }

    /// <summary>Notes what scored a chunk and why (<see cref="DealScored.ScoredBy"/>), once per distinct statement.</summary>
    public void AddScoredBy(string? statement)
    {
        if (!string.IsNullOrWhiteSpace(statement)) _scoredBy.Add(statement);
    }

    public ReportSummary Build(DateTimeOffset? dataAsOf) => new()
    {
        AsOf = asOf,
        OpenDeals = _open,
        HighRiskDeals = _highRisk,
        CriticalDeals = _criticalCount,
        AcvAtRisk = _acvAtRisk,
        DealsByLevel = _byLevel,
        TopDeals = Drain(_top),
        CriticalDealsToAlert = Drain(_critical),
        BySegment = Totals(_bySegment),
        ByRep = Totals(_byRep),
        DataQualityFlagged = _flagged,
        Scorers = _scorers.Select(s => s.ModelVersion is null ? s.Scorer : $"{s.Scorer} {s.ModelVersion}").Distinct().Order().ToList(),
        ScoredBy = _scoredBy.Order().ToList(),
        DataAsOf = dataAsOf,
        Movers = _movers.Build(),
    };

    /// <summary>Keeps the row among the highest <paramref name="capacity"/>; only a row kept becomes a <see cref="DealRiskScore"/>.</summary>
    private static void Keep(PriorityQueue<DealRiskScore, (int, decimal)> queue, in ReportRow row, (int, decimal) priority, int capacity)
    {
        if (queue.Count < capacity)
            queue.Enqueue(row.ToScore(), priority);
        else if (queue.TryPeek(out _, out var lowest) && Comparer<(int, decimal)>.Default.Compare(priority, lowest) > 0)
            queue.EnqueueDequeue(row.ToScore(), priority);
    }

    private static IReadOnlyList<DealRiskScore> Drain(PriorityQueue<DealRiskScore, (int, decimal)> queue) =>
        queue.UnorderedItems.OrderByDescending(item => item.Priority).Select(item => item.Element).ToList();

    private static void Tally(Dictionary<string, (int Deals, decimal Acv)> totals, string key, decimal acv)
    {
        ref var current = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(totals, key, out _);
        current = (current.Deals + 1, current.Acv + acv);
    }

    private static IReadOnlyList<RiskTotal> Totals(Dictionary<string, (int Deals, decimal Acv)> totals) =>
        totals.Select(t => new RiskTotal(t.Key, t.Value.Deals, t.Value.Acv)).OrderByDescending(t => t.AcvAtRisk).ToList();
}
