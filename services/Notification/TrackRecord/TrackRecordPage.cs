using System.Globalization;
using System.Net;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Notification.Dashboard;

namespace DealRisk.Notification.TrackRecord;

/// <summary>
/// The model's track record page of the dashboard, rendered on the server with inline SVG charts and no script.
/// Every string from the CRM (segment names) or another service goes through <see cref="E"/>.
/// </summary>
public static class TrackRecordPage
{
    public static readonly IReadOnlyList<string> Populations = [ScorerEvaluation.Populations.Holdout, ScorerEvaluation.Populations.ClosedSinceTraining];

    public static string PopulationTitle(string population) => population switch
    {
        ScorerEvaluation.Populations.Holdout => "latest holdout",
        ScorerEvaluation.Populations.ClosedSinceTraining => "deals closed since training",
        _ => population,
    };

    public static string Render(TrackRecordUpdated? record, string userName)
    {
        var html = new StringBuilder(32 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>Deal risk — model track record</title><style>").Append(DashboardStyle.Css).Append(Css).Append("</style></head><body>")
            .Append("<header class=\"topbar\"><div class=\"brand\"><span class=\"logo\">◆</span> DealRisk <span class=\"sub\">Track record</span></div>")
            .Append("<div class=\"who\"><a class=\"nav\" id=\"back-to-dashboard\" href=\"/dashboard\">← CRO dashboard</a> · ").Append(E(userName))
            .Append("<form method=\"post\" action=\"/dashboard/sign-out\"><button class=\"link\" type=\"submit\">Sign out</button></form></div></header><main>");
        if (record is null)
        {
            html.Append("<section class=\"panel\"><p class=\"empty\" id=\"no-track-record\">No track record yet: it appears after the first training or daily batch.</p></section></main></body></html>");
            return html.ToString();
        }

        AppendHeadline(html, record);
        foreach (var population in Populations)
            AppendPopulation(html, record, population);
        AppendSegments(html, record);
        AppendDrift(html, record);
        html.Append("<p class=\"muted note\">Scores are read as loss probabilities (score / 100). Precision counts deals flagged at that level at least once while open. ")
            .Append("Deals closed since training are judged on the scores the daily batches gave them, so a first flag is dated to its batch's day (rescores between batches are not kept). ")
            .Append("Figures also as JSON at <code>/dashboard/api/track-record</code> and as CSV in each day's report folder.</p>");
        return html.Append("</main></body></html>").ToString();
    }

    private static void AppendHeadline(StringBuilder html, TrackRecordUpdated record)
    {
        var served = record.ServedModelVersion is { } version ? $"model {version}" : record.ServedScorer;
        html.Append("<section class=\"panel\" id=\"track-record-summary\"><h2>How well the scores predicted losses</h2><p>Served now: <strong id=\"served-scorer\">")
            .Append(E(served)).Append("</strong>")
            .Append(record.TrainedTo is { } trainedTo ? $" · trained on deals closed up to {trainedTo:yyyy-MM-dd}" : "")
            .Append(" · HIGH from ").Append(record.HighThreshold).Append(", CRITICAL from ").Append(record.CriticalThreshold)
            .Append("</p><p class=\"muted\">Refreshed by the ").Append(E(record.Trigger)).Append(record.AsOf is { } asOf ? $" of {asOf:yyyy-MM-dd}" : "")
            .Append(" at ").Append(record.ComputedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
            .Append(record.EvaluatedAt is { } evaluated ? $"; closed deals last evaluated {evaluated.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}" : "; no training has evaluated closed deals yet")
            .Append(".</p></section>");
    }

    private static void AppendPopulation(StringBuilder html, TrackRecordUpdated record, string population)
    {
        var evaluations = record.Evaluations.Where(e => e.Population == population).ToList();
        html.Append("<section class=\"panel\" id=\"").Append(population).Append("\"><h2>").Append(char.ToUpperInvariant(PopulationTitle(population)[0])).Append(PopulationTitle(population)[1..]).Append("</h2>");
        if (evaluations.Count == 0)
        {
            html.Append("<p class=\"empty\">Not evaluated yet.</p></section>");
            return;
        }
        html.Append("<table class=\"figures\"><thead><tr><th>Scorer</th><th class=\"n\">Closed deals</th><th class=\"n\">Lost</th><th class=\"n\">ROC-AUC</th><th class=\"n\">PR-AUC</th>")
            .Append("<th class=\"n\">HIGH precision</th><th class=\"n\">CRITICAL precision</th><th class=\"n\">Lead time (median, p25–p75)</th></tr></thead><tbody>");
        foreach (var evaluation in evaluations)
            AppendRow(html, TrackRecordCharts.NameOf(evaluation), evaluation.Scorer, evaluation.Figures);
        html.Append("</tbody></table><div class=\"charts\">")
            .Append(TrackRecordCharts.Reliability($"reliability-{population}", "Reliability: predicted against observed", evaluations))
            .Append(TrackRecordCharts.LeadTimes($"lead-time-{population}", "Lead time: first HIGH flag before a loss", evaluations))
            .Append("</div></section>");
    }

    private static void AppendSegments(StringBuilder html, TrackRecordUpdated record)
    {
        var rows = record.Evaluations.SelectMany(e => e.Segments.Select(s => (Evaluation: e, Segment: s)))
            .OrderBy(r => r.Segment.Dimension, StringComparer.Ordinal).ThenBy(r => r.Segment.Name, StringComparer.Ordinal)
            .ThenByDescending(r => r.Evaluation.Population, StringComparer.Ordinal).ThenBy(r => r.Evaluation.Scorer, StringComparer.Ordinal).ToList();
        html.Append("<section class=\"panel\" id=\"segments\"><h2>By segment (industries and regions with at least ").Append(record.MinimumSegmentDeals).Append(" closed deals)</h2>");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"empty\">No industry or region has enough closed deals yet.</p></section>");
            return;
        }
        html.Append("<table class=\"figures\"><thead><tr><th>Segment</th><th>Of</th><th>Scorer</th><th class=\"n\">Closed deals</th><th class=\"n\">Lost</th><th class=\"n\">ROC-AUC</th><th class=\"n\">PR-AUC</th>")
            .Append("<th class=\"n\">HIGH precision</th><th class=\"n\">CRITICAL precision</th><th class=\"n\">Lead time (median, p25–p75)</th></tr></thead><tbody>");
        foreach (var (evaluation, segment) in rows)
        {
            html.Append("<tr class=\"segment\" data-dimension=\"").Append(E(segment.Dimension)).Append("\"><td><span class=\"muted\">").Append(E(segment.Dimension)).Append("</span> ")
                .Append(E(segment.Name)).Append("</td><td>").Append(evaluation.Population == ScorerEvaluation.Populations.Holdout ? "holdout" : "since training").Append("</td>");
            AppendCells(html, evaluation.Scorer == "rules" ? "rules" : "model", evaluation.Scorer, segment.Figures);
            html.Append("</tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void AppendDrift(StringBuilder html, TrackRecordUpdated record)
    {
        html.Append("<section class=\"panel\" id=\"drift\"><h2>Drift of the model's top features")
            .Append(record.DriftAsOf is { } day ? $" on the batch of {day:yyyy-MM-dd}" : "").Append("</h2>");
        if (record.Drift.Count == 0)
        {
            html.Append("<p class=\"empty\">No model has scored a batch yet.</p></section>");
            return;
        }
        html.Append("<table class=\"figures\"><thead><tr><th>Feature</th><th class=\"n\">Importance</th><th class=\"n\">PSI</th><th>State</th></tr></thead><tbody>");
        foreach (var drift in record.Drift)
            html.Append("<tr><td>").Append(E(drift.Feature)).Append("</td><td class=\"n\">").Append(drift.Importance.ToString("0.000", CultureInfo.InvariantCulture))
                .Append("</td><td class=\"n\">").Append(drift.Psi.ToString("0.00", CultureInfo.InvariantCulture)).Append("</td><td><span class=\"state ").Append(E(drift.State)).Append("\">")
                .Append(E(drift.State)).Append("</span></td></tr>");
        html.Append("</tbody></table><p class=\"muted\">PSI below 0.1 stable, up to the drift threshold worth watching, above it shifted (scoring falls back to the rules).</p></section>");
    }

    private static void AppendRow(StringBuilder html, string name, string scorer, TrackRecordFigures figures)
    {
        html.Append("<tr>");
        AppendCells(html, name, scorer, figures);
        html.Append("</tr>");
    }

    private static void AppendCells(StringBuilder html, string name, string scorer, TrackRecordFigures f)
    {
        var lead = f.LeadTimes;
        html.Append("<td data-scorer=\"").Append(E(scorer)).Append("\"><span class=\"swatch ").Append(scorer == "rules" ? "rules" : "model").Append("\"></span>").Append(E(name)).Append("</td>")
            .Append("<td class=\"n\">").Append(f.Deals).Append("</td><td class=\"n\">").Append(f.LostDeals).Append("</td>")
            .Append("<td class=\"n auc\">").Append(Ratio(f.RocAuc)).Append("</td><td class=\"n\">").Append(Ratio(f.PrAuc)).Append("</td>")
            .Append("<td class=\"n\">").Append(Share(f.High)).Append("</td><td class=\"n\">").Append(Share(f.Critical)).Append("</td>")
            .Append("<td class=\"n\">").Append(lead.Count == 0 ? "—" : $"{LeadTimeDistribution.Quantile(lead, 0.5)} days ({LeadTimeDistribution.Quantile(lead, 0.25)}–{LeadTimeDistribution.Quantile(lead, 0.75)}), {LeadTimeDistribution.LostDeals(lead)} deals")
            .Append("</td>");
    }

    private static string Ratio(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—";

    private static string Share(FlagPrecision flags) => flags.Precision is { } precision
        ? $"{precision.ToString("0%", CultureInfo.InvariantCulture)} <span class=\"muted\">of {flags.Flagged}</span>"
        : "—";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private const string Css = """
        a.nav{color:#fff;text-decoration:none;border-bottom:1px solid rgba(255,255,255,.4)}
        .charts{display:flex;gap:18px;flex-wrap:wrap;margin-top:14px}.chart{border:1px solid var(--line);border-radius:8px;max-width:100%;height:auto}
        .tick{fill:var(--muted)}table.figures td,table.figures th{padding:7px 8px}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}.swatch.model{background:#2f6fb0}.swatch.rules{background:#c65d21}
        .state{border-radius:999px;padding:2px 8px;font-size:12px;font-weight:600}.state.stable{background:#e3f9e5;color:var(--green)}
        .state.watch{background:#fff3e6;color:var(--orange)}.state.shifted{background:#fde8e8;color:var(--red)}
        #segments table{font-size:13px}#segments th{font-size:11px}td[data-scorer]{white-space:nowrap}.segment td:first-child{overflow-wrap:anywhere}
        .note{margin-top:4px}code{background:#eef2f7;padding:1px 4px;border-radius:4px}
        """;
}
