using System.Globalization;
using System.Net;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Notification.Movers;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Storage;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// The CRO dashboard, rendered on the server. Every CRM string goes through <see cref="E"/>; the small script only
/// sorts and filters rows already on the page and runs under a nonce-based Content-Security-Policy.
/// </summary>
public static class DashboardPage
{
    public static string Render(DashboardView view, string userName, string nonce)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>Deal risk — CRO dashboard</title><style>").Append(DashboardStyle.Css).Append("</style></head><body>");
        html.Append("<header class=\"topbar\"><div class=\"brand\"><span class=\"logo\">◆</span> DealRisk <span class=\"sub\">Revenue risk</span></div>")
            .Append("<div class=\"who\">").Append(view.AsOf is { } day ? $"Report of {day:yyyy-MM-dd}" : "No report yet")
            .Append(" · <a class=\"nav\" id=\"track-record-link\" href=\"/dashboard/track-record\">Model track record</a>")
            .Append(" · ").Append(E(userName))
            .Append("<form method=\"post\" action=\"/dashboard/sign-out\"><button class=\"link\" type=\"submit\">Sign out</button></form></div></header><main>");

        if (view.Escalation is { } spike)
            html.Append("<div class=\"banner\" id=\"escalation\" role=\"alert\"><strong>Escalation — high-risk spike on ")
                .Append(spike.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(":</strong> ").Append(E(spike.Description)).Append("</div>");

        AppendCards(html, view);
        AppendTrend(html, view.Trend);
        AppendMovers(html, view.Movers);
        AppendDeals(html, view.Deals);
        html.Append("</main><script nonce=\"").Append(nonce).Append("\">").Append(DashboardScript.Js).Append("</script></body></html>");
        return html.ToString();
    }

    private static void AppendCards(StringBuilder html, DashboardView view)
    {
        html.Append("<section class=\"cards\">");
        var change = view.AcvAtRiskChange switch
        {
            null => "<span class=\"delta\">no previous day</span>",
            > 0 => $"<span class=\"delta up\">▲ {Money.Format(view.AcvAtRiskChange.Value)} since yesterday</span>",
            < 0 => $"<span class=\"delta down\">▼ {Money.Format(-view.AcvAtRiskChange.Value)} since yesterday</span>",
            _ => "<span class=\"delta\">unchanged since yesterday</span>",
        };
        Card(html, "acv-at-risk", "ACV at risk", Money.Format(view.AcvAtRisk), change);
        Card(html, "high-risk", "High-risk deals", view.HighRiskDeals.ToString(CultureInfo.InvariantCulture),
            $"<span class=\"delta\">{view.CriticalDeals} critical of {view.OpenDeals} open</span>");
        Card(html, "freshness", "Data freshness", view.DataAsOf is { } data ? data.ToString("MMM d, HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown",
            $"<span class=\"delta\">report delivered {(view.ReportPublishedAt is { } at ? at.ToString("MMM d, HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—")}</span>");
        var model = view.Model;
        var modelValue = model is null ? "Rules" : model.ServingRules ? "Rules fallback" : E(model.ModelVersion);
        var modelDetail = model switch
        {
            null => "no model promoted yet",
            { ServingRules: true } => E(model.FallbackReason ?? "fallback") + Drift(model),
            _ => $"{E(model.Trainer)} · ROC-AUC {model.Metrics?.RocAuc.ToString("0.000", CultureInfo.InvariantCulture)}{Drift(model)}",
        };
        var scoredBy = view.ScoredBy is { } statement ? $"<span class=\"delta\" id=\"scored-by\">Latest report scored by {E(statement)}</span>" : "";
        Card(html, "model", "Model status", modelValue, $"<span class=\"delta{(model?.ServingRules == true ? " warn" : "")}\">{modelDetail}</span>{scoredBy}");
        html.Append("</section>");
    }

    private static string Drift(ModelStatus model) => model.Drift.MaxBy(d => d.Psi) is { } worst
        ? $" · drift {E(worst.Feature)} PSI {worst.Psi.ToString("0.00", CultureInfo.InvariantCulture)}"
        : "";

    private static void Card(StringBuilder html, string id, string label, string value, string detail) =>
        html.Append("<div class=\"card\" id=\"").Append(id).Append("\"><div class=\"label\">").Append(label).Append("</div><div class=\"value\">")
            .Append(value).Append("</div>").Append(detail).Append("</div>");

    private static void AppendTrend(StringBuilder html, IReadOnlyList<DailyRiskPoint> trend)
    {
        html.Append("<section class=\"panel\"><h2>ACV at risk, last ").Append(trend.Count).Append(" days</h2>");
        if (trend.Count == 0)
        {
            html.Append("<p class=\"empty\">No report yet.</p></section>");
            return;
        }
        const double width = 1000, height = 180, left = 60, bottom = 24, top = 12;
        var max = (double)Math.Max(trend.Max(point => point.AcvAtRisk), 1);
        var step = trend.Count > 1 ? (width - left - 10) / (trend.Count - 1) : 0;
        string X(int i) => (left + i * step).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(decimal v) => (top + (height - top - bottom) * (1 - (double)v / max)).ToString("0.#", CultureInfo.InvariantCulture);
        var line = string.Join(" ", trend.Select((point, i) => $"{X(i)},{Y(point.AcvAtRisk)}"));
        html.Append("<svg id=\"trend\" viewBox=\"0 0 1000 180\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"ACV at risk trend\">")
            .Append($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width}\" y2=\"{height - bottom}\" class=\"axis\"/>")
            .Append($"<text x=\"4\" y=\"{top + 10}\" class=\"tick\">{Money.Format((decimal)max)}</text><text x=\"4\" y=\"{height - bottom}\" class=\"tick\">$0</text>")
            .Append($"<polygon class=\"area\" points=\"{X(0)},{height - bottom} {line} {X(trend.Count - 1)},{height - bottom}\"/>")
            .Append($"<polyline class=\"line\" points=\"{line}\"/>");
        for (var i = 0; i < trend.Count; i++)
        {
            html.Append($"<circle cx=\"{X(i)}\" cy=\"{Y(trend[i].AcvAtRisk)}\" r=\"3.5\" class=\"dot\"><title>{trend[i].AsOf:yyyy-MM-dd}: {Money.Format(trend[i].AcvAtRisk)}, {trend[i].HighRiskDeals} high-risk deals</title></circle>");
            if (i == 0 || i == trend.Count - 1 || trend.Count <= 10)
                html.Append($"<text x=\"{X(i)}\" y=\"{height - 6}\" class=\"tick\" text-anchor=\"{(i == trend.Count - 1 && i > 0 ? "end" : "middle")}\">{trend[i].AsOf:MMM d}</text>");
        }
        html.Append("</svg></section>");
    }

    private static void AppendDeals(StringBuilder html, IReadOnlyList<DealRiskScore> deals)
    {
        html.Append("<section class=\"panel\"><div class=\"panel-head\"><h2>High-risk deals</h2><div class=\"filters\">");
        Filter(html, "filter-rep", "All reps", deals.Select(d => d.Deal.Owner ?? "(unassigned)"));
        Filter(html, "filter-segment", "All segments", deals.Select(d => d.Deal.Industry ?? "(none)"));
        Filter(html, "filter-level", "All levels", deals.Select(d => d.Level));
        html.Append("<span id=\"shown\" class=\"count\">").Append(deals.Count).Append(" deals</span></div></div>");
        if (deals.Count == 0)
        {
            html.Append("<p class=\"empty\">No high-risk deals.</p></section>");
            return;
        }
        html.Append("<table id=\"deals\"><thead><tr>")
            .Append("<th data-sort=\"text\">Deal</th><th data-sort=\"text\">Rep</th><th data-sort=\"text\">Segment</th>")
            .Append("<th data-sort=\"number\" class=\"n\">ACV</th><th data-sort=\"text\">Stage</th><th data-sort=\"number\" class=\"n\">Days in stage</th>")
            .Append("<th data-sort=\"number\" class=\"n sorted-desc\">Score</th><th>Reasons</th><th>Action</th></tr></thead><tbody>");
        foreach (var score in deals)
        {
            var deal = score.Deal;
            var rep = deal.Owner ?? "(unassigned)";
            var segment = deal.Industry ?? "(none)";
            html.Append("<tr data-rep=\"").Append(E(rep)).Append("\" data-segment=\"").Append(E(segment)).Append("\" data-level=\"").Append(E(score.Level)).Append("\">")
                .Append("<td class=\"deal\"><div class=\"name\"><a href=\"").Append(E(DealPage.Href(deal.Source, deal.ExternalId))).Append("\">")
                .Append(E(deal.Name ?? deal.ExternalId)).Append("</a></div><div class=\"muted\">")
                .Append(E(deal.Account)).Append(deal.DataQualityFlag ? " · <span class=\"flag\">data quality</span>" : "").Append("</div></td>")
                .Append("<td>").Append(E(rep)).Append("</td><td>").Append(E(segment)).Append("</td>")
                .Append("<td class=\"n\" data-value=\"").Append((deal.Amount ?? 0).ToString(CultureInfo.InvariantCulture)).Append("\">").Append(Money.Format(deal.Amount ?? 0)).Append("</td>")
                .Append("<td>").Append(E(deal.Stage)).Append("</td>")
                .Append("<td class=\"n\" data-value=\"").Append(deal.DaysInStage ?? -1).Append("\">").Append(deal.DaysInStage?.ToString(CultureInfo.InvariantCulture) ?? "—").Append("</td>")
                .Append("<td class=\"n\" data-value=\"").Append(score.Score).Append("\"><span class=\"pill ").Append(score.Level == RiskLevels.Critical ? "critical" : "high").Append("\">")
                .Append(score.Score).Append(' ').Append(E(score.Level)).Append("</span></td>")
                .Append("<td class=\"reasons\">").Append(string.Join("", score.Reasons.Select(reason => $"<div>{E(reason)}</div>"))).Append("</td>")
                .Append("<td class=\"action\">").Append(E(score.Action)).Append("</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void AppendMovers(StringBuilder html, MoverSummary movers)
    {
        var biggest = movers.Risers.Concat(movers.Fallers).OrderByDescending(mover => Math.Abs(mover.Delta)).Take(10).ToList();
        html.Append("<section class=\"panel\"><h2>Biggest movers since yesterday</h2>");
        if (biggest.Count == 0)
        {
            html.Append("<p class=\"empty\">No deal moved since its previous score.</p></section>");
            return;
        }
        html.Append("<table id=\"movers\"><thead><tr><th>Deal</th><th>Rep</th><th class=\"n\">Score</th><th class=\"n\">Change</th><th>Level</th><th>Main reason</th></tr></thead><tbody>");
        foreach (var mover in biggest)
        {
            var deal = mover.Score.Deal;
            html.Append("<tr><td class=\"deal\"><a href=\"").Append(E(DealPage.Href(deal.Source, deal.ExternalId))).Append("\">").Append(E(deal.Name ?? deal.ExternalId)).Append("</a></td>")
                .Append("<td>").Append(E(deal.Owner ?? "(unassigned)")).Append("</td><td class=\"n\">").Append(mover.Score.Score)
                .Append("</td><td class=\"n ").Append(mover.Delta > 0 ? "up" : "down").Append("\">").Append(mover.Delta.ToString("+0;-0;0", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(E(mover.PreviousLevel)).Append(" → ").Append(E(mover.Score.Level))
                .Append("</td><td>").Append(E(mover.MainReason)).Append("</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void Filter(StringBuilder html, string id, string all, IEnumerable<string> values)
    {
        html.Append("<select id=\"").Append(id).Append("\"><option value=\"\">").Append(all).Append("</option>");
        foreach (var value in values.Distinct().Order(StringComparer.OrdinalIgnoreCase))
            html.Append("<option value=\"").Append(E(value)).Append("\">").Append(E(value)).Append("</option>");
        html.Append("</select>");
    }

    public static string SignIn(bool failed, bool configured) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Sign in — DealRisk</title><style>" +
        DashboardStyle.Css + "</style></head><body class=\"signin\"><form method=\"post\" action=\"/dashboard/sign-in\" class=\"signin-card\">" +
        "<div class=\"brand\"><span class=\"logo\">◆</span> DealRisk</div><h1>Sign in to the revenue risk dashboard</h1>" +
        (configured ? "" : "<p class=\"error\">Sign-in is not configured: set DASHBOARD_PASSWORD.</p>") +
        (failed ? "<p class=\"error\" id=\"sign-in-failed\">That user name and password do not match.</p>" : "") +
        "<label>User name<input id=\"username\" name=\"username\" autocomplete=\"username\" required></label>" +
        "<label>Password<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>" +
        "<button id=\"sign-in\" type=\"submit\">Sign in</button></form></body></html>";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
