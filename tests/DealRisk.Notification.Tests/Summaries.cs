using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Tests;

internal static class Summaries
{
    public static ReportSummary With(
        int highRisk = 12,
        decimal acvAtRisk = 1_400_000m,
        int critical = 0,
        IReadOnlyList<DealRiskScore>? criticalDeals = null,
        IReadOnlyList<DealRiskScore>? topDeals = null,
        IReadOnlyList<RiskTotal>? byRep = null) => new()
    {
        AsOf = new DateOnly(2024, 6, 30),
        OpenDeals = 140,
        HighRiskDeals = highRisk,
        CriticalDeals = critical,
        AcvAtRisk = acvAtRisk,
        DealsByLevel = new Dictionary<string, int> { [RiskLevels.Critical] = critical, [RiskLevels.High] = highRisk - critical },
        TopDeals = topDeals ?? [],
        CriticalDealsToAlert = criticalDeals ?? [],
        BySegment = [],
        ByRep = byRep ?? [],
        DataQualityFlagged = 4,
        Scorers = ["rules"],
    };
}
