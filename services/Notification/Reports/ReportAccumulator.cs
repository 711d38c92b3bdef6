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
    private readonly HashSet<string> _scorers = new();
    private readonly HashSet<string> _scoredBy = new();
    private readonly MoverTally _movers = new(topCount);
    private int _open, _highRisk, _criticalCount, _flagged;
    private decimal _acvAtRisk;

    public void Add(DealRiskScore score)
    {
        _open++;
        _movers.Add(score);
        _byLevel[score.Level] = _byLevel.GetValueOrDefault(score.Level) + 1;
        _scorers.Add(score.ModelVersion is null ? score.Scorer : $"{score.Scorer} {score.ModelVersion}");
        if (score.Deal.DataQualityFlag) _flagged++;
        var priority = (score.Score, score.Deal.Amount ?? 0);
        Keep(_top, score, priority, topCount);

        if (RiskLevels.Rank(score.Level) < RiskLevels.Rank(RiskLevels.High)) return;
        var acv = score.Deal.Amount ?? 0;
        _highRisk++;
        _acvAtRisk += acv;
        Tally(_bySegment, score.Deal.Industry ?? "(none)", acv);
        Tally(_byRep, score.Deal.Owner ?? "(unassigned)", acv);
        if (score.Level != RiskLevels.Critical) return;
        _criticalCount++;
        Keep(_critical, score, priority, maxCritical);
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
        Scorers = _scorers.Order().ToList(),
        ScoredBy = _scoredBy.Order().ToList(),
        DataAsOf = dataAsOf,
        Movers = _movers.Build(),
    };

    private static void Keep(PriorityQueue<DealRiskScore, (int, decimal)> queue, DealRiskScore score, (int, decimal) priority, int capacity)
    {
        if (queue.Count < capacity)
            queue.Enqueue(score, priority);
        else if (queue.TryPeek(out _, out var lowest) && Comparer<(int, decimal)>.Default.Compare(priority, lowest) > 0)
            queue.EnqueueDequeue(score, priority);
    }

    private static IReadOnlyList<DealRiskScore> Drain(PriorityQueue<DealRiskScore, (int, decimal)> queue) =>
        queue.UnorderedItems.OrderByDescending(item => item.Priority).Select(item => item.Element).ToList();

    private static void Tally(Dictionary<string, (int Deals, decimal Acv)> totals, string key, decimal acv)
    {
        var current = totals.GetValueOrDefault(key);
        totals[key] = (current.Deals + 1, current.Acv + acv);
    }

    private static IReadOnlyList<RiskTotal> Totals(Dictionary<string, (int Deals, decimal Acv)> totals) =>
        totals.Select(t => new RiskTotal(t.Key, t.Value.Deals, t.Value.Acv)).OrderByDescending(t => t.AcvAtRisk).ToList();
}
