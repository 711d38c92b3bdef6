namespace DealRisk.Notification;

/// <summary>Configuration section <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Reports";

    /// <summary>Reports go to <c>&lt;OutputDirectory&gt;/&lt;yyyy-MM-dd&gt;/</c>.</summary>
    public string OutputDirectory { get; set; } = "results";

    /// <summary>Deals listed in the critical alert before it says "and N more".</summary>
    public int MaxDealsPerAlert { get; set; } = 10;
}

/// <summary>Configuration section <c>Slack</c>; the webhook URL is a secret and comes from the environment (<c>SLACK_WEBHOOK_URL</c>).</summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    public string? WebhookUrl { get; set; }
}
