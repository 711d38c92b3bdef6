using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Slack;

/// <summary>A malformed webhook URL or channel map stops the service at start-up with a message that names the setting.</summary>
public sealed partial class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        var webhooks = options.Webhooks.Select(pair => ($"Slack:Webhooks:{pair.Key}", pair.Value)).ToList();
        if (options.WebhookUrl is not null)
            webhooks.Add(("SLACK_WEBHOOK_URL (Slack:WebhookUrl)", options.WebhookUrl));
        foreach (var (setting, url) in webhooks)
        {
            if (!IsWebhookUrl(url))
                failures.Add($"{setting} is not an absolute http(s) URL with a path, like https://hooks.slack.com/services/T000/B000/XXX.");
        }
        var hosts = webhooks.Where(w => IsWebhookUrl(w.Item2)).Select(w => new Uri(w.Item2).GetLeftPart(UriPartial.Authority)).Distinct().ToList();
        if (hosts.Count > 1)
            failures.Add($"Slack webhook URLs point at more than one host ({string.Join(", ", hosts)}); all must be on one host.");
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out _))
            failures.Add("Slack:ApiBaseUrl is not an absolute URL.");

        foreach (var (kind, channel) in options.Routes)
        {
            if (!ChannelName().IsMatch(channel ?? ""))
                failures.Add($"Slack:Routes:{kind} = '{channel}' is not a Slack channel name (like #deal-alerts) or id (like C0123ABCD).");
        }
        foreach (var channel in options.Webhooks.Keys.Where(channel => !ChannelName().IsMatch(channel)))
            failures.Add($"Slack:Webhooks:{channel} does not name a Slack channel.");
        foreach (var (source, template) in options.CrmRecordUrls)
        {
            if (!template.Contains("{id}", StringComparison.Ordinal) || !Uri.TryCreate(template.Replace("{id}", "x"), UriKind.Absolute, out _))
                failures.Add($"Slack:CrmRecordUrls:{source} must be an absolute URL containing {{id}}.");
        }
        if (options.MaxDealsPerMessage is < 1 or > 45)
            failures.Add("Slack:MaxDealsPerMessage must be between 1 and 45 (a Slack message holds at most 50 blocks).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsWebhookUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.AbsolutePath.Length > 1;

    [GeneratedRegex("^#?[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
    private static partial Regex ChannelName();
}
