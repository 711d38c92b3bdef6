using System.Globalization;
using System.Text;
using DealRisk.Contracts;

namespace DealRisk.Notification.Dashboard;

/// <summary>The score over time as server-rendered SVG: level bands, the scores as a line, each CRM change as a marked vertical line.</summary>
public static class DealTimelineChart
{
    private const double Width = 1000, Height = 240, Left = 40, Right = 16, Top = 14, Bottom = 28;

    public static string Svg(IReadOnlyList<HistoricScore> newestFirst)
    {
        var points = newestFirst.Reverse().ToList();
        var changes = points.SelectMany(entry => entry.Trigger.Changes.Concat(entry.Movement?.Changes ?? []))
            .DistinctBy(change => (change.At, change.Field, change.From, change.To)).OrderBy(change => change.At).ToList();
        var from = points.Select(p => p.AsOf).Concat(changes.Select(c => c.At)).Min();
        var to = points.Select(p => p.AsOf).Concat(changes.Select(c => c.At)).Max();
        var span = Math.Max((to - from).TotalSeconds, 1);
        string X(DateTimeOffset at) => Number(points.Count == 1 && changes.Count == 0 ? (Left + Width - Right) / 2 : Left + (Width - Left - Right) * (at - from).TotalSeconds / span);
        string Y(double score) => Number(Top + (Height - Top - Bottom) * (1 - score / 100));

        var svg = new StringBuilder(4096);
        svg.Append("<svg id=\"timeline\" viewBox=\"0 0 1000 240\" role=\"img\" aria-label=\"Score timeline\">");
        foreach (var (low, high, css) in new[] { (75.0, 100.0, "#c0392b"), (55.0, 75.0, "#e67e22"), (30.0, 55.0, "#2f5aa8") })
            svg.Append($"<rect class=\"band\" x=\"{Left}\" y=\"{Y(high)}\" width=\"{Width - Left - Right}\" height=\"{Number((Height - Top - Bottom) * (high - low) / 100)}\" fill=\"{css}\"/>");
        foreach (var tick in new[] { 0, 30, 55, 75, 100 })
            svg.Append($"<text x=\"4\" y=\"{Y(tick)}\" class=\"tick\" dominant-baseline=\"middle\">{tick}</text>");
        foreach (var change in changes)
        {
            svg.Append($"<g class=\"crm-event\"><line class=\"event\" x1=\"{X(change.At)}\" x2=\"{X(change.At)}\" y1=\"{Top}\" y2=\"{Height - Bottom}\"/>")
                .Append($"<path class=\"event-mark\" d=\"M{X(change.At)} {Top} l-5 -8 h10 z\" transform=\"translate(0 8)\"/>")
                .Append("<title>").Append(DealPage.E($"{change.At.UtcDateTime:yyyy-MM-dd HH:mm} {change.Field}: {change.From ?? "none"} → {change.To ?? "none"}")).Append("</title></g>");
        }
        svg.Append("<polyline class=\"score\" points=\"").Append(string.Join(" ", points.Select(p => $"{X(p.AsOf)},{Y(p.Score)}"))).Append("\"/>");
        foreach (var point in points)
            svg.Append($"<circle class=\"point\" cx=\"{X(point.AsOf)}\" cy=\"{Y(point.Score)}\" r=\"4\"><title>")
                .Append(DealPage.E($"{point.AsOf.UtcDateTime:yyyy-MM-dd HH:mm}: {point.Score} {point.Level}{(point.Movement is { } m ? " — " + m.Summary : "")}")).Append("</title></circle>");
        svg.Append($"<text x=\"{Left}\" y=\"{Height - 8}\" class=\"tick\">{from.UtcDateTime:MMM d}</text>")
            .Append($"<text x=\"{Width - Right}\" y=\"{Height - 8}\" class=\"tick\" text-anchor=\"end\">{to.UtcDateTime:MMM d}</text></svg>")
            .Append("<p class=\"legend\">Line: risk score (0–100; bands CRITICAL ≥ 75, HIGH ≥ 55, MEDIUM ≥ 30). Dashed purple lines: CRM changes (")
            .Append(changes.Count).Append(").</p>");
        return svg.ToString();
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
