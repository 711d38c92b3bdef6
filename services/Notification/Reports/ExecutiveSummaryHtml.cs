using System.Globalization;
using System.Text;
using System.Net;
using DealRisk.Contracts;
using DealRisk.Notification.Movers;

namespace DealRisk.Notification.Reports;

/// <summary>The executive summary as a self-contained HTML page (the report file and the email's HTML part). CRM text is HTML-encoded.</summary>
public static class ExecutiveSummaryHtml
{
    private const string Style =
        "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933;max-width:960px;margin:24px auto;padding:0 16px}" +
        "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e4e7eb;padding-bottom:4px}" +
        ".headline{font-size:18px;background:#fff4f4;border-left:4px solid #d64545;padding:12px 16px}" +
        "table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb}" +
        "td.n,th.n{text-align:right}.CRITICAL{color:#ba2525;font-weight:600}.HIGH{color:#c65d21;font-weight:600}.muted{color:#616e7c;font-size:13px}";

    public static string ToHtml(ReportSummary summary, ReportContext context)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Deal risk — ")
            .Append(summary.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>Deal risk — ").Append(summary.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</h1>");
        html.Append("<p class=\"headline\"><strong>").Append(E(summary.Headline)).Append("</strong> across ")
            .Append(summary.OpenDeals).Append(" open deals (").Append(summary.CriticalDeals).Append(" critical).");
        if (context.Movement(summary) is { } movement)
            html.Append("<br>").Append(E(movement));
        html.Append("</p><p class=\"muted\">Model status: ").Append(E(context.ModelLine))
            .Append(" · Scored by: ").Append(E(summary.ScoredByLine))
            .Append(" · CRM data as of: ").Append(summary.DataAsOf is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown")
            .Append(" · Data-quality flags: ").Append(summary.DataQualityFlagged).Append("</p>");

        html.Append("<h2>Top 10 deals at risk</h2><table><tr><th>Deal</th><th>Account</th><th>Owner</th><th class=\"n\">ACV</th><th>Stage</th><th class=\"n\">Days in stage</th><th class=\"n\">Score</th><th>Level</th><th>Reasons</th><th>Action</th></tr>");
        foreach (var score in summary.TopDeals)
        {
            var deal = score.Deal;
            html.Append("<tr><td>").Append(E(deal.Name ?? deal.ExternalId)).Append("</td><td>").Append(E(deal.Account)).Append("</td><td>").Append(E(deal.Owner))
                .Append("</td><td class=\"n\">").Append(Money.Format(deal.Amount ?? 0)).Append("</td><td>").Append(E(deal.Stage))
                .Append("</td><td class=\"n\">").Append(deal.DaysInStage).Append("</td><td class=\"n\">").Append(score.Score)
                .Append("</td><td class=\"").Append(E(score.Level)).Append("\">").Append(E(score.Level))
                .Append("</td><td>").Append(E(string.Join("; ", score.Reasons))).Append("</td><td>").Append(E(score.Action)).Append("</td></tr>");
        }
        html.Append("</table>");
        AppendMovers(html, summary.Movers);
        AppendTotals(html, "High-risk ACV by segment (industry)", "Segment", summary.BySegment);
        AppendTotals(html, "High-risk ACV by rep", "Rep", summary.ByRep);
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendTotals(StringBuilder html, string title, string keyName, IReadOnlyList<RiskTotal> totals)
    {
        html.Append("<h2>").Append(title).Append("</h2><table><tr><th>").Append(keyName).Append("</th><th class=\"n\">High-risk deals</th><th class=\"n\">ACV at risk</th></tr>");
        foreach (var total in totals.Take(15))
            html.Append("<tr><td>").Append(E(total.Key)).Append("</td><td class=\"n\">").Append(total.HighRiskDeals)
                .Append("</td><td class=\"n\">").Append(Money.Format(total.AcvAtRisk)).Append("</td></tr>");
        html.Append("</table>");
    }

    private static void AppendMovers(StringBuilder html, MoverSummary movers)
    {
        html.Append("<h2>Movers</h2>");
        if (movers.IsEmpty)
        {
            html.Append("<p>No deal moved since its previous score.</p>");
            return;
        }
        foreach (var (title, list) in new[] { ("Newly critical", movers.NewlyCritical), ("Biggest risers", movers.Risers), ("Biggest fallers", movers.Fallers) })
        {
            if (list.Count == 0) continue;
            html.Append("<h3>").Append(title).Append("</h3><table><tr><th>Deal</th><th>Owner</th><th class=\"n\">Score</th><th class=\"n\">Change</th><th>Level</th><th>Main reason</th></tr>");
            foreach (var mover in list)
                html.Append("<tr><td>").Append(E(mover.Score.Deal.Name ?? mover.Score.Deal.ExternalId)).Append("</td><td>").Append(E(mover.Score.Deal.Owner))
                    .Append("</td><td class=\"n\">").Append(mover.Score.Score).Append("</td><td class=\"n\">").Append(mover.Delta.ToString("+0;-0;0", CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(mover.PreviousLevel)).Append(" → ").Append(E(mover.Score.Level))
                    .Append("</td><td>").Append(E(mover.MainReason)).Append("</td></tr>");
            html.Append("</table>");
        }
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
