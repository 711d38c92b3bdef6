using DealRisk.Notification.Reports;
using DealRisk.Notification.Sla;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Alerts;

/// <summary>A jump in high-risk deals or ACV at risk beyond the threshold over the trailing average.</summary>
public sealed record Spike(DateOnly AsOf, int HighRiskDeals, double AverageHighRiskDeals, decimal AcvAtRisk, decimal AverageAcvAtRisk, string Description);

public static class SpikeDetector
{
    public static Spike? Detect(ReportSummary today, IReadOnlyCollection<DailyRiskPoint> trailing, SlaOptions options)
    {
        if (trailing.Count < options.MinimumHistoryDays)
            return null;
        var averageDeals = trailing.Average(point => point.HighRiskDeals);
        var averageAcv = trailing.Average(point => point.AcvAtRisk);
        var limit = 1 + options.SpikeThreshold;
        var reasons = new List<string>();
        if (today.HighRiskDeals > averageDeals * limit)
            reasons.Add($"{today.HighRiskDeals} high-risk deals against a {trailing.Count}-day average of {averageDeals:0.#}");
        if (today.AcvAtRisk > averageAcv * (decimal)limit)
            reasons.Add($"{Money.Format(today.AcvAtRisk)} ACV at risk against a {trailing.Count}-day average of {Money.Format(averageAcv)}");
        return reasons.Count == 0
            ? null
            : new Spike(today.AsOf, today.HighRiskDeals, averageDeals, today.AcvAtRisk, averageAcv, string.Join("; ", reasons));
    }
}
