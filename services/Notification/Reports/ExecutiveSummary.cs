using System.Globalization;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Notification.Movers;

namespace DealRisk.Notification.Reports;

/// <summary>The CRO's one-page read of the day, in Markdown.</summary>
public static class ExecutiveSummary
{
    public static string ToMarkdown(ReportSummary summary) => ToMarkdown(summary, ReportContext.None);

    public static string ToMarkdown(ReportSummary summary, ReportContext context)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Deal risk — {summary.AsOf:yyyy-MM-dd}");
        md.AppendLine();
        md.AppendLine($"**{summary.Headline}** across {summary.OpenDeals} open deals ({summary.CriticalDeals} critical).");
        if (context.Movement(summary) is { } movement)
            md.AppendLine($"{movement}.");
        md.AppendLine();
        md.AppendLine($"- Model status: {Cell(context.ModelLine)}");
        md.AppendLine($"- Scored by: {Cell(summary.ScoredByLine)}");
        md.AppendLine($"- CRM data as of: {(summary.DataAsOf is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown")}");
        md.AppendLine($"- Deals flagged for data quality (more than 3 key fields missing): {summary.DataQualityFlagged}");
        md.AppendLine();
        md.AppendLine("## Deals by risk level");
        md.AppendLine();
        md.AppendLine("| level | deals |");
        md.AppendLine("|---|---:|");
        foreach (var level in new[] { RiskLevels.Critical, RiskLevels.High, RiskLevels.Medium, RiskLevels.Low })
            md.AppendLine($"| {level} | {summary.DealsByLevel.GetValueOrDefault(level)} |");
        md.AppendLine();
        md.AppendLine("## Top 10 deals at risk");
        md.AppendLine();
        md.AppendLine("| deal | owner | ACV | stage | days in stage | score | level | reasons | action |");
        md.AppendLine("|---|---|---:|---|---:|---:|---|---|---|");
        foreach (var score in summary.TopDeals)
        {
            var deal = score.Deal;
            md.AppendLine($"| {Cell(deal.Name ?? deal.ExternalId)} | {Cell(deal.Owner)} | {Money.Format(deal.Amount ?? 0)} | {Cell(deal.Stage)} | {deal.DaysInStage} | {score.Score} | {score.Level} | {Cell(string.Join("; ", score.Reasons))} | {Cell(score.Action)} |");
        }
        AppendMovers(md, summary.Movers);
        AppendTotals(md, "High-risk ACV by segment (industry)", "segment", summary.BySegment);
        AppendTotals(md, "High-risk ACV by rep", "rep", summary.ByRep);
        return md.ToString();
    }

    private static void AppendMovers(StringBuilder md, MoverSummary movers)
    {
        md.AppendLine();
        md.AppendLine("## Movers");
        md.AppendLine();
        if (movers.IsEmpty)
        {
            md.AppendLine("No deal moved since its previous score.");
            return;
        }
        foreach (var (title, list) in new[] { ("Newly critical", movers.NewlyCritical), ("Biggest risers", movers.Risers), ("Biggest fallers", movers.Fallers) })
        {
            if (list.Count == 0) continue;
            md.AppendLine($"**{title}**");
            md.AppendLine();
            md.AppendLine("| deal | owner | score | change | level | main reason |");
            md.AppendLine("|---|---|---:|---:|---|---|");
            foreach (var mover in list)
                md.AppendLine($"| {Cell(mover.Score.Deal.Name ?? mover.Score.Deal.ExternalId)} | {Cell(mover.Score.Deal.Owner)} | {mover.Score.Score} | {mover.Delta:+0;-0;0} | {mover.PreviousLevel} → {mover.Score.Level} | {Cell(mover.MainReason)} |");
            md.AppendLine();
        }
    }

    private static void AppendTotals(StringBuilder md, string title, string keyName, IReadOnlyList<RiskTotal> totals)
    {
        md.AppendLine();
        md.AppendLine($"## {title}");
        md.AppendLine();
        md.AppendLine($"| {keyName} | high-risk deals | ACV at risk |");
        md.AppendLine("|---|---:|---:|");
        foreach (var total in totals.Take(15))
            md.AppendLine($"| {Cell(total.Key)} | {total.HighRiskDeals} | {Money.Format(total.AcvAtRisk)} |");
    }

    /// <summary>CRM text inside a Markdown table: no pipes or line breaks that would break the table, no HTML that a renderer would run.</summary>
    private static string Cell(string? text) =>
        (text ?? "").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ").Replace("<", "&lt;").Replace(">", "&gt;");
}
