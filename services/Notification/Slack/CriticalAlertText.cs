using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Slack;

/// <summary>The morning's alert text: critical deals grouped in one message, then the daily summary line.</summary>
public static class CriticalAlertText
{
    public static string Compose(ReportSummary summary, int maxDeals)
    {
        var lines = new List<string>();
        if (summary.CriticalDeals > 0)
        {
            lines.Add($"🚨 CRITICAL ALERT ({summary.CriticalDeals} deal{(summary.CriticalDeals == 1 ? "" : "s")} @ risk):");
            lines.AddRange(summary.CriticalDealsToAlert.Take(maxDeals).Select(DealLine));
            if (summary.CriticalDeals > maxDeals)
                lines.Add($"…and {summary.CriticalDeals - maxDeals} more in the report");
        }
        lines.Add($"📊 DAILY SUMMARY: {summary.HighRiskDeals} high-risk deals ({Money.Format(summary.AcvAtRisk)} ACV @ risk)");
        return string.Join("\n", lines);
    }

    public static string DealLine(DealRiskScore score)
    {
        var deal = score.Deal;
        var name = deal.Name is { } n && n != deal.ExternalId ? $"{deal.ExternalId} {n}" : deal.ExternalId;
        return $"• {SlackText.Escape(name)} (ACV {Money.Format(deal.Amount ?? 0)}) - {SlackText.Escape(string.Join(", ", score.Reasons))} → ACTION: {SlackText.Escape(score.Action)}";
    }
}
