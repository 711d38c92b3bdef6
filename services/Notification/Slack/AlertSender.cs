using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Slack;

/// <summary>Posts alert text to the Slack webhook when one is configured; otherwise prints it, so a local run still shows the alert.</summary>
public sealed class AlertSender(IServiceProvider services, IOptions<SlackOptions> options, ILogger<AlertSender> logger)
{
    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.WebhookUrl))
        {
            Console.WriteLine(text);
            return;
        }

        var webhook = new Uri(options.Value.WebhookUrl);
        var api = services.GetRequiredService<ISlackWebhookApi>();
        var response = await api.PostAsync(webhook.AbsolutePath.TrimStart('/'), new SlackMessage(text), cancellationToken);
        if (!response.IsSuccessStatusCode)
            logger.LogWarning("Slack answered {StatusCode} to the alert", response.StatusCode);
        response.Dispose();
    }
}
