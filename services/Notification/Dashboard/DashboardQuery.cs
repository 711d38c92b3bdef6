using DealRisk.Contracts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// Builds the dashboard from the notification store. Its cards, its table and the chart's latest point all come from
/// one pass over the deals' <see cref="CurrentRisk"/> (the latest report's batch with newer real-time rescores laid
/// over it); the earlier points of the chart are the days' reports.
/// </summary>
public sealed class DashboardQuery(NotificationStore store, CurrentRisk currentRisk, IOptions<DashboardOptions> options)
{
    private const int TrendDays = 30;

    public async Task<DashboardView> BuildAsync(CancellationToken cancellationToken)
    {
        var history = new List<DailyRiskPoint>();
        await foreach (var point in store.DailyHistory.ScanAsync(cancellationToken))
            history.Add(point);
        var latestReport = await LatestReportAsync(cancellationToken);
        var batch = latestReport is null ? null : await store.Batches.GetAsync(latestReport.BatchId.ToString("N"), cancellationToken);

        var accumulator = new ReportAccumulator(latestReport?.AsOf ?? default);
        var highRisk = new PriorityQueue<DealRiskScore, (int, decimal)>();
        await foreach (var rows in currentRisk.OpenDealsAsync(batch, rescoredUntil: null, cancellationToken))
        {
            foreach (var row in rows)
            {
                accumulator.Add(row);
                if (IsHighRisk(row))
                    KeepHighest(highRisk, row, options.Value.MaxDeals);
            }
        }
        var now = accumulator.Build(batch?.DataAsOf);

        var trend = history.Where(point => latestReport is null || point.AsOf < latestReport.AsOf).OrderBy(point => point.AsOf).ToList();
        if (latestReport is not null)
            trend.Add(new DailyRiskPoint
            {
                AsOf = latestReport.AsOf,
                OpenDeals = now.OpenDeals,
                HighRiskDeals = now.HighRiskDeals,
                CriticalDeals = now.CriticalDeals,
                AcvAtRisk = now.AcvAtRisk,
                PublishedAt = latestReport.PublishedAt,
                DataAsOf = batch?.DataAsOf,
                ScoredBy = latestReport.ScoredBy,
            });
        trend = trend.TakeLast(TrendDays).ToList();
        var yesterday = trend.Count > 1 ? trend[^2] : null;
        return new DashboardView
        {
            AsOf = latestReport?.AsOf,
            ReportPublishedAt = latestReport?.PublishedAt,
            DataAsOf = batch?.DataAsOf,
            AcvAtRisk = now.AcvAtRisk,
            AcvAtRiskChange = latestReport is not null && yesterday is not null ? now.AcvAtRisk - yesterday.AcvAtRisk : null,
            HighRiskDeals = now.HighRiskDeals,
            CriticalDeals = now.CriticalDeals,
            OpenDeals = now.OpenDeals,
            Trend = trend,
            Deals = highRisk.UnorderedItems.OrderByDescending(item => item.Priority).Select(item => item.Element).ToList(),
            Model = await store.ModelStatus.GetAsync(ModelStatus.CurrentId, cancellationToken),
            ScoredBy = latestReport?.ScoredBy,
            Escalation = latestReport is null ? null : await store.Escalations.GetAsync(DailyRiskPoint.Key(latestReport.AsOf), cancellationToken),
            Movers = now.Movers,
        };
    }

    private async Task<DailyReportPublished?> LatestReportAsync(CancellationToken cancellationToken)
    {
        DailyReportPublished? latest = null;
        await foreach (var report in store.Reports.ScanAsync(cancellationToken))
        {
            if (latest is null || (report.AsOf, report.PublishedAt).CompareTo((latest.AsOf, latest.PublishedAt)) > 0)
                latest = report;
        }
        return latest;
    }

    private static void KeepHighest(PriorityQueue<DealRiskScore, (int, decimal)> deals, in ReportRow row, int capacity)
    {
        var priority = (row.Score, row.Amount ?? 0);
        if (deals.Count < capacity)
            deals.Enqueue(row.ToScore(), priority);
        else if (deals.TryPeek(out _, out var lowest) && Comparer<(int, decimal)>.Default.Compare(priority, lowest) > 0)
            deals.EnqueueDequeue(row.ToScore(), priority);
    }

    private static bool IsHighRisk(in ReportRow row) => RiskLevels.Rank(row.Level) >= RiskLevels.Rank(RiskLevels.High);
}
