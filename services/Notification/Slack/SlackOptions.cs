namespace DealRisk.Notification.Slack;

/// <summary>
/// Configuration section <c>Slack</c>. Webhook URLs and the bot token are secrets and come from the environment
/// (<c>SLACK_WEBHOOK_URL</c>, <c>SLACK_BOT_TOKEN</c>, <c>Slack__Webhooks__&lt;channel&gt;</c>).
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The incoming webhook used for every channel that has no webhook of its own and when there is no bot token.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>A bot token (<c>xoxb-…</c>): messages go through <c>chat.postMessage</c> to the routed channel.</summary>
    public string? BotToken { get; set; }

    /// <summary>Slack's Web API; tests point it at a fake Slack.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>Channel (without <c>#</c>) → incoming webhook URL of that channel.</summary>
    public Dictionary<string, string> Webhooks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Message kind, or <c>kind.level</c> for a level of it, → channel. See <see cref="MessageKinds"/>.</summary>
    public Dictionary<string, string> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [MessageKinds.CriticalDeal] = "#deal-alerts",
        [MessageKinds.CriticalBatch] = "#deal-alerts",
        [MessageKinds.DailySummary] = "#revenue-leadership",
        [MessageKinds.DataUnavailable] = "#revenue-leadership",
        [MessageKinds.Escalation] = "#revenue-leadership",
        [MessageKinds.Operator] = "#revops-ops",
    };

    /// <summary>CRM source → link to a deal's record, with <c>{id}</c> for the deal's id in that CRM.</summary>
    public Dictionary<string, string> CrmRecordUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Real-time critical deals that share one message when they turn critical close together.</summary>
    public int MaxDealsPerMessage { get; set; } = 10;

    /// <summary>Slack allows about one message per second per channel.</summary>
    public TimeSpan MinIntervalPerChannel { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Refusals (a 4xx other than 429) a message gets before it is parked and operators are alerted, so one message
    /// Slack will never take (an archived channel, an invalid block) does not hold up its channel.
    /// </summary>
    public int MaxRefusals { get; set; } = 3;

    public string ChannelFor(string kind, string? level = null) =>
        (level is not null && Routes.TryGetValue($"{kind}.{level}", out var leveled) ? leveled : null)
        ?? (Routes.TryGetValue(kind, out var channel) ? channel : null)
        ?? Routes.GetValueOrDefault(MessageKinds.Operator, "#revops-ops");

    public string? WebhookFor(string channel) =>
        Webhooks.TryGetValue(channel.TrimStart('#'), out var url) && !string.IsNullOrWhiteSpace(url) ? url : null;
}

/// <summary>What a message is about: the key its channel is routed by.</summary>
public static class MessageKinds
{
    public const string CriticalDeal = "critical-deal";
    public const string CriticalBatch = "critical-batch";
    public const string DailySummary = "daily-summary";
    public const string DataUnavailable = "data-unavailable";
    public const string Escalation = "escalation";
    public const string Operator = "operator";
}
