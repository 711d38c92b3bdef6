using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Slack;

/// <summary>The alert's plain text: Slack's notification fallback and what a console run prints.</summary>
public static class CriticalAlertText
{
    /// <summary>The morning's text in one piece: critical deals grouped, then the daily summary line.</summary>
    public static string Compose(ReportSummary summary, int maxDeals)
    {
        var lines = new List<string>();
        if (summary.CriticalDeals > 0)
            lines.Add(Critical(summary.CriticalDealsToAlert.Take(maxDeals).ToList(), summary.CriticalDeals));
        lines.Add(SummaryLine(summary));
        return string.Join("\n", lines);
    }

    public static string Critical(IReadOnlyList<DealRiskScore> deals, int totalCritical)
    {
        var lines = new List<string> { $"🚨 CRITICAL ALERT ({totalCritical} deal{(totalCritical == 1 ? "" : "s")} @ risk):" };
        lines.AddRange(deals.Select(DealLine));
        if (totalCritical > deals.Count)
            lines.Add($"…and {totalCritical - deals.Count} more in the report");
        return string.Join("\n", lines);
    }

    public static string SummaryLine(ReportSummary summary) =>
        $"📊 DAILY SUMMARY: {summary.HighRiskDeals} high-risk deals ({Money.Format(summary.AcvAtRisk)} ACV @ risk)";

    public static string DealLine(DealRiskScore score)
    {
        var deal = score.Deal;
        var name = deal.Name is { } n && n != deal.ExternalId ? $"{deal.ExternalId} {n}" : deal.ExternalId;
        return $"• {SlackText.Escape(name)} (ACV {Money.Format(deal.Amount ?? 0)}) - {SlackText.Escape(string.Join(", ", score.Reasons))} → ACTION: {SlackText.Escape(score.Action)}";
    }
}
