using System.Globalization;
using System.Net;
using System.Text;
using DealRisk.Contracts;

namespace DealRisk.Notification.TrackRecord;

/// <summary>
/// Server-rendered SVG charts of a track record, the same on the dashboard and in the report folder: the reliability
/// diagram (observed loss rate against predicted probability, per scorer) and the lead-time distribution.
/// </summary>
public static class TrackRecordCharts
{
    private const double Width = 460, Height = 330, Left = 52, Right = 16, Top = 50, Bottom = 44;

    public static string ColorOf(ScorerEvaluation evaluation) => evaluation.Scorer == "rules" ? "#c65d21" : "#2f6fb0";

    public static string NameOf(ScorerEvaluation evaluation) => evaluation.ModelVersion is { } version ? $"model {version}" : evaluation.Scorer;

    public static string Reliability(string id, string title, IReadOnlyList<ScorerEvaluation> evaluations)
    {
        var svg = Open(id, title);
        Axes(svg, "predicted loss probability (score / 100)", "observed loss rate");
        for (var t = 0; t <= 10; t += 2)
        {
            var v = t / 10.0;
            svg.Append($"<text x=\"{F(X(v))}\" y=\"{F(Height - Bottom + 16)}\" class=\"tick\" text-anchor=\"middle\">{F(v)}</text>")
                .Append($"<text x=\"{F(Left - 6)}\" y=\"{F(Y(v) + 4)}\" class=\"tick\" text-anchor=\"end\">{F(v)}</text>");
        }
        svg.Append($"<line x1=\"{F(X(0))}\" y1=\"{F(Y(0))}\" x2=\"{F(X(1))}\" y2=\"{F(Y(1))}\" class=\"diagonal\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 4\"/>");
        foreach (var evaluation in evaluations.Where(e => e.Figures.Calibration.Count > 0))
        {
            var color = ColorOf(evaluation);
            var bins = evaluation.Figures.Calibration;
            svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" class=\"series\" data-scorer=\"{E(evaluation.Scorer)}\" points=\"")
                .Append(string.Join(" ", bins.Select(b => $"{F(X(b.MeanPredicted))},{F(Y(b.ObservedLossRate))}"))).Append("\"/>");
            foreach (var bin in bins)
                svg.Append($"<circle cx=\"{F(X(bin.MeanPredicted))}\" cy=\"{F(Y(bin.ObservedLossRate))}\" r=\"{F(Math.Min(9, 2.5 + Math.Sqrt(bin.Count) / 3))}\" fill=\"{color}\" fill-opacity=\"0.75\">")
                    .Append($"<title>{E(NameOf(evaluation))}: {bin.Count} scores predicted {P(bin.MeanPredicted)}, {P(bin.ObservedLossRate)} lost</title></circle>");
        }
        Legend(svg, evaluations);
        return Close(svg, evaluations.All(e => e.Figures.Calibration.Count == 0));
    }

    public static string LeadTimes(string id, string title, IReadOnlyList<ScorerEvaluation> evaluations)
    {
        var svg = Open(id, title);
        Axes(svg, "days from the first HIGH flag to the loss", "lost deals");
        var counts = evaluations.Select(e => LeadTimeDistribution.Counts(e.Figures.LeadTimes)).ToList();
        var max = Math.Max(1, counts.SelectMany(c => c).DefaultIfEmpty(0).Max());
        var buckets = LeadTimeDistribution.Buckets;
        var slot = (Width - Left - Right) / buckets.Count;
        var barWidth = (slot - 8) / Math.Max(1, evaluations.Count);
        for (var b = 0; b < buckets.Count; b++)
        {
            svg.Append($"<text x=\"{F(Left + slot * (b + 0.5))}\" y=\"{F(Height - Bottom + 16)}\" class=\"tick\" text-anchor=\"middle\">{LeadTimeDistribution.Label(buckets[b])}</text>");
            for (var s = 0; s < evaluations.Count; s++)
            {
                var count = counts[s][b];
                var height = (Height - Top - Bottom) * count / max;
                svg.Append($"<rect class=\"bar\" data-scorer=\"{E(evaluations[s].Scorer)}\" x=\"{F(Left + slot * b + 4 + s * barWidth)}\" y=\"{F(Height - Bottom - height)}\" width=\"{F(barWidth)}\" height=\"{F(height)}\" fill=\"{ColorOf(evaluations[s])}\">")
                    .Append($"<title>{E(NameOf(evaluations[s]))}: {count} lost deals first flagged HIGH {LeadTimeDistribution.Label(buckets[b])} days before the close</title></rect>");
            }
        }
        svg.Append($"<text x=\"{F(Left - 6)}\" y=\"{F(Top + 4)}\" class=\"tick\" text-anchor=\"end\">{max}</text>")
            .Append($"<text x=\"{F(Left - 6)}\" y=\"{F(Height - Bottom + 4)}\" class=\"tick\" text-anchor=\"end\">0</text>");
        Legend(svg, evaluations);
        return Close(svg, evaluations.All(e => e.Figures.LeadTimes.Count == 0));
    }

    private static StringBuilder Open(string id, string title) =>
        new StringBuilder().Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{E(id)}\" class=\"chart\" viewBox=\"0 0 {F(Width)} {F(Height)}\" width=\"{F(Width)}\" height=\"{F(Height)}\" role=\"img\" aria-label=\"{E(title)}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">")
            .Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>")
            .Append($"<text x=\"{F(Left)}\" y=\"18\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2933\">{E(title)}</text>");

    private static void Axes(StringBuilder svg, string xLabel, string yLabel) =>
        svg.Append($"<line x1=\"{F(Left)}\" y1=\"{F(Height - Bottom)}\" x2=\"{F(Width - Right)}\" y2=\"{F(Height - Bottom)}\" stroke=\"#cbd2d9\"/>")
            .Append($"<line x1=\"{F(Left)}\" y1=\"{F(Top)}\" x2=\"{F(Left)}\" y2=\"{F(Height - Bottom)}\" stroke=\"#cbd2d9\"/>")
            .Append($"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 8)}\" text-anchor=\"middle\" fill=\"#616e7c\">{E(xLabel)}</text>")
            .Append($"<text x=\"14\" y=\"{F((Top + Height - Bottom) / 2)}\" text-anchor=\"middle\" fill=\"#616e7c\" transform=\"rotate(-90 14 {F((Top + Height - Bottom) / 2)})\">{E(yLabel)}</text>");

    /// <summary>One line under the title, so it never covers the data.</summary>
    private static void Legend(StringBuilder svg, IReadOnlyList<ScorerEvaluation> evaluations)
    {
        var x = Left;
        foreach (var evaluation in evaluations)
        {
            var label = $"{(evaluation.Scorer == "rules" ? "rules" : "model")} ({evaluation.Figures.Deals} deals)";
            svg.Append($"<rect x=\"{F(x)}\" y=\"27\" width=\"10\" height=\"10\" fill=\"{ColorOf(evaluation)}\"/>")
                .Append($"<text x=\"{F(x + 14)}\" y=\"36\" fill=\"#1f2933\"><title>{E(NameOf(evaluation))}</title>{E(label)}</text>");
            x += 24 + label.Length * 6;
        }
    }

    private static string Close(StringBuilder svg, bool empty)
    {
        if (empty)
            svg.Append($"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F((Top + Height - Bottom) / 2 + 20)}\" text-anchor=\"middle\" fill=\"#616e7c\">nothing to show yet</text>");
        return svg.Append("</svg>").ToString();
    }

    private static double X(double v) => Left + (Width - Left - Right) * Math.Clamp(v, 0, 1);

    private static double Y(double v) => Height - Bottom - (Height - Top - Bottom) * Math.Clamp(v, 0, 1);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string P(double v) => v.ToString("0%", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
