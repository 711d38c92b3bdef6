using DealRisk.Contracts;
using DealRisk.Notification.Movers;

namespace DealRisk.Notification.Reports;

public sealed record RiskTotal(string Key, int HighRiskDeals, decimal AcvAtRisk);

/// <summary>What the daily report says in its headline and tables, built while the report's rows stream past.</summary>
public sealed record ReportSummary
{
    public required DateOnly AsOf { get; init; }
    public required int OpenDeals { get; init; }
    public required int HighRiskDeals { get; init; }
    public required int CriticalDeals { get; init; }
    public required decimal AcvAtRisk { get; init; }
    public required IReadOnlyDictionary<string, int> DealsByLevel { get; init; }
    public required IReadOnlyList<DealRiskScore> TopDeals { get; init; }
    public required IReadOnlyList<DealRiskScore> CriticalDealsToAlert { get; init; }
    public required IReadOnlyList<RiskTotal> BySegment { get; init; }
    public required IReadOnlyList<RiskTotal> ByRep { get; init; }
    public required int DataQualityFlagged { get; init; }
    public required IReadOnlyList<string> Scorers { get; init; }
    /// <summary>Which scorer served and why, as the scored chunks said it (the model with its ROC-AUC against the rules', or the rules and why).</summary>
    public IReadOnlyList<string> ScoredBy { get; init; } = [];
    public DateTimeOffset? DataAsOf { get; init; }
    /// <summary>Newly critical deals and the biggest risers and fallers against each deal's previous score.</summary>
    public MoverSummary Movers { get; init; } = MoverSummary.None;

    /// <summary>The scorer and why in one line; the scorer names alone for scores that did not say why.</summary>
    public string ScoredByLine => string.Join("; ", (ScoredBy.Count > 0 ? ScoredBy : Scorers).DefaultIfEmpty("no deals"));

    public string Headline => $"{HighRiskDeals} high-risk deals, {Money.Format(AcvAtRisk)} ACV at risk";
}
