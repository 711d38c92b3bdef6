using System.Globalization;
using System.Net;
using System.Text;
using DealRisk.Contracts;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// One deal's page: its score timeline with the CRM changes marked on it, and every movement in words, newest first.
/// Rendered on the server without script; every CRM string goes through <see cref="E"/>.
/// </summary>
public static class DealPage
{
    public const string Policy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static string Href(string source, string externalId) =>
        $"/dashboard/deals/{Uri.EscapeDataString(source)}/{Uri.EscapeDataString(externalId)}";

    public static string Render(string source, string externalId, IReadOnlyList<HistoricScore> newestFirst)
    {
        var title = newestFirst.Select(entry => entry.Name).FirstOrDefault(name => !string.IsNullOrEmpty(name)) ?? externalId;
        var html = Head(source, externalId, title);
        if (newestFirst.Count > 0)
        {
            var latest = newestFirst[0];
            html.Append(" · now ").Append(latest.Score).Append(' ').Append(E(latest.Level)).Append(" in ").Append(E(latest.Stage));
        }
        html.Append("</p>");
        if (newestFirst.Count == 0)
        {
            html.Append("<section class=\"panel\"><p class=\"empty\">No score of this deal is kept.</p></section></main></body></html>");
            return html.ToString();
        }
        html.Append("<section class=\"panel\"><h2>Score timeline</h2>").Append(DealTimelineChart.Svg(newestFirst)).Append("</section>");
        AppendMovements(html, newestFirst);
        html.Append("</main></body></html>");
        return html.ToString();
    }

    /// <summary>The page when scoring, which keeps the history, did not answer in time.</summary>
    public static string RenderUnavailable(string source, string externalId) =>
        Head(source, externalId, externalId)
            .Append("</p><section class=\"panel\"><p class=\"empty\" id=\"history-unavailable\">The score history is unavailable right now: ")
            .Append("the scoring service did not answer in time. Reload the page in a few seconds.</p></section></main></body></html>")
            .ToString();

    private static StringBuilder Head(string source, string externalId, string title)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" — DealRisk</title><style>").Append(DashboardStyle.Css).Append(Css).Append("</style></head><body>")
            .Append("<header class=\"topbar\"><div class=\"brand\"><span class=\"logo\">◆</span> DealRisk <span class=\"sub\">Deal history</span></div>")
            .Append("<div class=\"who\"><a href=\"/dashboard\">← Dashboard</a></div></header><main>")
            .Append("<h1 id=\"deal-title\">").Append(E(title)).Append("</h1><p class=\"muted\">").Append(E(source)).Append(" · ").Append(E(externalId));
        return html;
    }

    private static void AppendMovements(StringBuilder html, IReadOnlyList<HistoricScore> newestFirst)
    {
        html.Append("<section class=\"panel\"><h2>Movements</h2><table id=\"movements\"><thead><tr><th>As of</th><th class=\"n\">Score</th><th class=\"n\">Change</th>")
            .Append("<th>Level</th><th>Stage</th><th>What moved it</th><th>Trigger</th></tr></thead><tbody>");
        foreach (var entry in newestFirst)
        {
            var movement = entry.Movement;
            html.Append("<tr><td>").Append(entry.AsOf.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Append("</td><td class=\"n\">").Append(entry.Score)
                .Append("</td><td class=\"n\">").Append(movement is null ? "—" : movement.Delta.ToString("+0;-0;0", CultureInfo.InvariantCulture))
                .Append("</td><td><span class=\"pill ").Append(LevelClass(entry.Level)).Append("\">").Append(E(entry.Level)).Append("</span></td><td>").Append(E(entry.Stage))
                .Append("</td><td class=\"summary\">").Append(movement is null ? "First score: " + E(string.Join("; ", entry.Reasons)) : E(movement.Summary))
                .Append("</td><td>").Append(E(Trigger(entry.Trigger))).Append("</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static string Trigger(ScoreTrigger trigger) => trigger.Kind == ScoreTrigger.BatchKind
        ? "Daily batch"
        : $"CRM change{(trigger.Source is null ? "" : $" via {trigger.Source}")}{(trigger.Changes.Count == 0 ? "" : ": " + string.Join(", ", trigger.Changes.Select(c => $"{c.Field} {c.From ?? "none"} → {c.To ?? "none"}")))}";

    internal static string LevelClass(string level) => level switch
    {
        RiskLevels.Critical => "critical",
        RiskLevels.High => "high",
        RiskLevels.Medium => "medium",
        _ => "low",
    };

    private const string Css = "h1{font-size:20px;margin:18px 0 2px}.pill.medium{background:#eef4ff;color:#2f5aa8}.pill.low{background:#eef7ef;color:#2c7a3a}"
        + "#timeline{width:100%;height:auto}#timeline .band{opacity:.08}#timeline .event{stroke:#7a4cc2;stroke-dasharray:3 3}#timeline .event-mark{fill:#7a4cc2}"
        + "#timeline .score{fill:none;stroke:#1f3b64;stroke-width:2}#timeline .point{fill:#1f3b64}.legend{font-size:12px;color:#667}";

    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
