using System.Globalization;
using System.Text.Json.Nodes;
using DealRisk.Contracts;
using DealRisk.Notification.Movers;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Slack;

/// <summary>
/// Block Kit layouts: a header, one section per deal (ACV, stage, days in stage, score; reasons and the action; a
/// button to the CRM record), a context line with data freshness and the scorer. Every CRM string is escaped.
/// </summary>
public sealed class SlackBlocks(SlackOptions options)
{
    private const int MaxSectionText = 3000;
    private const int MaxHeaderText = 150;

    /// <summary>Deal sections per message: with the header, the "more" line and the context, within Slack's 50 blocks.</summary>
    public const int MaxDealSections = 45;

    public SlackMessage CriticalDeals(IReadOnlyList<DealRiskScore> deals, int totalCritical, string context)
    {
        deals = deals.Take(MaxDealSections).ToList();
        var blocks = new JsonArray { Header($"🚨 CRITICAL: {Deals(totalCritical)} at risk") };
        foreach (var deal in deals)
            blocks.Add(DealSection(deal));
        if (totalCritical > deals.Count)
            blocks.Add(Section($"…and {totalCritical - deals.Count} more in the daily report"));
        blocks.Add(Context(context));

        return new SlackMessage(CriticalAlertText.Critical(deals, totalCritical), blocks);
    }

    public static SlackMessage DailySummary(ReportSummary summary, string? movement)
    {
        var line = CriticalAlertText.SummaryLine(summary);
        var blocks = new JsonArray
        {
            Header($"📊 Daily deal risk — {summary.AsOf:yyyy-MM-dd}"),
            Section(movement is null ? $"*{line}*" : $"*{line}*\n{SlackText.Escape(movement)}",
                [
                    Field("Open deals", summary.OpenDeals.ToString(CultureInfo.InvariantCulture)),
                    Field("Critical", summary.CriticalDeals.ToString(CultureInfo.InvariantCulture)),
                    Field("High-risk", summary.HighRiskDeals.ToString(CultureInfo.InvariantCulture)),
                    Field("Data-quality flags", summary.DataQualityFlagged.ToString(CultureInfo.InvariantCulture)),
                ]),
        };
        if (summary.ByRep.Count > 0)
            blocks.Add(Section("*Most ACV at risk by rep*\n" + string.Join("\n", summary.ByRep.Take(5).Select(Total))));
        if (summary.BySegment.Count > 0)
            blocks.Add(Section("*By segment*\n" + string.Join("\n", summary.BySegment.Take(5).Select(Total))));
        blocks.Add(Context(Freshness(summary.DataAsOf, [summary.ScoredByLine])));
        return new SlackMessage(line, blocks);
    }

    public static SlackMessage Notice(string headline, string body, string? context = null)
    {
        var blocks = new JsonArray { Header(headline), Section(SlackText.Escape(body)) };
        if (context is not null)
            blocks.Add(Context(context));
        return new SlackMessage($"{headline}: {SlackText.Escape(body)}", blocks);
    }

    public static string Freshness(DateTimeOffset? dataAsOf, IEnumerable<string> scorers) =>
        $"CRM data as of {(dataAsOf is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown")} · scored by {string.Join(", ", scorers.DefaultIfEmpty("no scorer"))}";

    public static string ScorerName(string scorer, string? modelVersion) =>
        modelVersion is null ? (scorer == "rules" ? "rules (fallback)" : scorer) : $"{scorer} {modelVersion}";

    private JsonObject DealSection(DealRiskScore score)
    {
        var deal = score.Deal;
        var title = deal.Account is { } account && account != deal.Name ? $"{deal.Name ?? deal.ExternalId} · {account}" : deal.Name ?? deal.ExternalId;
        var text = $"*{SlackText.Escape(title)}* ({SlackText.Escape(deal.ExternalId)}, {SlackText.Escape(deal.Owner ?? "unassigned")})\n" +
                   $"{SlackText.Escape(string.Join(", ", score.Reasons))}\n" +
                   (score.Movement is not null || score.Trigger is not null ? $"*Why now:* {SlackText.Escape(MovementText.WhyNow(score))}\n" : "") +
                   $"*Action:* {SlackText.Escape(score.Action)}";
        var section = Section(text,
        [
            Field("ACV", Money.Format(deal.Amount ?? 0)),
            Field("Stage", SlackText.Escape(deal.Stage)),
            Field("Days in stage", deal.DaysInStage?.ToString(CultureInfo.InvariantCulture) ?? "unknown"),
            Field("Score", $"{score.Score} ({score.Level})"),
        ]);
        if (RecordUrl(deal) is { } url)
        {
            section["accessory"] = new JsonObject
            {
                ["type"] = "button",
                ["text"] = PlainText("Open in CRM"),
                ["url"] = url,
                ["action_id"] = Truncate($"open-crm-{deal.Source}-{deal.ExternalId}", 255),
            };
        }
        return section;
    }

    private string? RecordUrl(DealProfile deal) =>
        options.CrmRecordUrls.TryGetValue(deal.Source, out var template)
            ? template.Replace("{id}", Uri.EscapeDataString(deal.ExternalId), StringComparison.Ordinal)
            : null;

    private static string Deals(int count) => count == 1 ? "1 deal" : $"{count} deals";

    private static string Total(RiskTotal total) =>
        $"• {SlackText.Escape(total.Key)}: {total.HighRiskDeals} deals, {Money.Format(total.AcvAtRisk)}";

    private static JsonObject Header(string text) => new() { ["type"] = "header", ["text"] = PlainText(Truncate(text, MaxHeaderText)) };

    private static JsonObject Section(string mrkdwn, JsonNode[]? fields = null)
    {
        var section = new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(Truncate(mrkdwn, MaxSectionText)) };
        if (fields is not null)
            section["fields"] = new JsonArray(fields);
        return section;
    }

    private static JsonObject Context(string mrkdwn) =>
        new() { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(SlackText.Escape(mrkdwn))) };

    private static JsonObject Field(string label, string value) => Mrkdwn($"*{label}*\n{value}");

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
