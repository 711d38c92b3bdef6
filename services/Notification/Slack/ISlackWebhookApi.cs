using Refit;

namespace DealRisk.Notification.Slack;

public sealed record SlackMessage(string Text);

/// <summary>A Slack incoming webhook: POST JSON to the webhook's own URL; the answer is 200 <c>ok</c>.</summary>
public interface ISlackWebhookApi
{
    [Post("/{**path}")]
    Task<IApiResponse<string>> PostAsync(string path, [Body] SlackMessage message, CancellationToken cancellationToken);
}
