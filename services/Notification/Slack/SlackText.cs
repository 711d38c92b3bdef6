namespace DealRisk.Notification.Slack;

/// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters: CRM text must have them escaped.</summary>
public static class SlackText
{
    public static string Escape(string? text) =>
        (text ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
