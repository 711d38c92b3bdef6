using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Reports;

/// <summary>What the report says beyond the day's own rows: yesterday's totals to compare with and what scoring serves.</summary>
public sealed record ReportContext(DailyRiskPoint? PreviousDay, ModelStatus? Model)
{
    public static readonly ReportContext None = new(null, null);

    public string? Movement(ReportSummary summary)
    {
        if (PreviousDay is not { } previous)
            return null;
        var change = summary.AcvAtRisk - previous.AcvAtRisk;
        var direction = change switch { > 0 => "up", < 0 => "down", _ => "unchanged" };
        var amount = change == 0 ? "" : $" {Money.Format(Math.Abs(change))}";
        var deals = summary.HighRiskDeals - previous.HighRiskDeals;
        return $"ACV at risk {direction}{amount} since {previous.AsOf:yyyy-MM-dd} ({(deals >= 0 ? "+" : "")}{deals} high-risk deals)";
    }

    public string ModelLine => Model?.Describe() ?? "No model promoted yet: rules";
}
