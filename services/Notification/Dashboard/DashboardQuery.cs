using DealRisk.Contracts;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// Builds the dashboard from the notification store: the latest report's totals and trend, its high-risk deals with
/// any newer real-time rescore laid over them, the model status and the day's escalation.
/// </summary>
public sealed class DashboardQuery(NotificationStore store, IOptions<DashboardOptions> options)
{
    private const int TrendDays = 30;

    public async Task<DashboardView> BuildAsync(CancellationToken cancellationToken)
    {
        var history = new List<DailyRiskPoint>();
        await foreach (var point in store.DailyHistory.ScanAsync(cancellationToken))
            history.Add(point);
        var trend = history.OrderBy(point => point.AsOf).TakeLast(TrendDays).ToList();
        var latestReport = await LatestReportAsync(cancellationToken);
        var deals = await HighRiskDealsAsync(latestReport?.BatchId, cancellationToken);
        var today = trend.LastOrDefault();
        var yesterday = trend.Count > 1 ? trend[^2] : null;
        return new DashboardView
        {
            AsOf = today?.AsOf,
            ReportPublishedAt = today?.PublishedAt,
            DataAsOf = today?.DataAsOf,
            AcvAtRisk = today?.AcvAtRisk ?? 0,
            AcvAtRiskChange = today is not null && yesterday is not null ? today.AcvAtRisk - yesterday.AcvAtRisk : null,
            HighRiskDeals = today?.HighRiskDeals ?? 0,
            CriticalDeals = today?.CriticalDeals ?? 0,
            OpenDeals = today?.OpenDeals ?? 0,
            Trend = trend,
            Deals = deals,
            Model = await store.ModelStatus.GetAsync(ModelStatus.CurrentId, cancellationToken),
            ScoredBy = today?.ScoredBy,
            Escalation = today is null ? null : await store.Escalations.GetAsync(DailyRiskPoint.Key(today.AsOf), cancellationToken),
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

    private async Task<IReadOnlyList<DealRiskScore>> HighRiskDealsAsync(Guid? batchId, CancellationToken cancellationToken)
    {
        var deals = new Dictionary<string, DealRiskScore>();
        if (batchId is { } id)
        {
            await foreach (var chunk in store.ScoredChunks.FindAsync("batchId", id, cancellationToken))
            {
                foreach (var score in chunk.Scored.Scores.Where(IsHighRisk))
                    deals[DealKey.Of(score.Deal)] = score;
            }
        }
        foreach (var level in new[] { RiskLevels.Critical, RiskLevels.High, RiskLevels.Medium, RiskLevels.Low })
        {
            await foreach (var rescored in store.LatestRisk.FindAsync("level", level, cancellationToken))
            {
                var key = DealKey.Of(rescored.Deal);
                var known = deals.GetValueOrDefault(key);
                if (known is not null && known.Deal.Version >= rescored.Deal.Version)
                    continue;
                if (IsHighRisk(rescored))
                    deals[key] = rescored;
                else
                    deals.Remove(key);
            }
        }
        return deals.Values
            .OrderByDescending(score => score.Score).ThenByDescending(score => score.Deal.Amount ?? 0)
            .Take(options.Value.MaxDeals)
            .ToList();
    }

    private static bool IsHighRisk(DealRiskScore score) => RiskLevels.Rank(score.Level) >= RiskLevels.Rank(RiskLevels.High);
}
