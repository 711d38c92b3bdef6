using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Refit;

namespace DealRisk.Notification.Slack;

/// <summary>What Slack is sent: the fallback <see cref="Text"/> every notification shows, and the Block Kit layout.</summary>
public sealed record SlackMessage(
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? Blocks = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Channel = null);

/// <summary>A Slack incoming webhook: POST JSON to the webhook's own URL; the answer is 200 <c>ok</c>.</summary>
public interface ISlackWebhookApi
{
    [Post("/{**path}")]
    Task<IApiResponse<string>> PostAsync(string path, [Body] SlackMessage message, CancellationToken cancellationToken);
}

public sealed record SlackApiResult(bool Ok, string? Error);

/// <summary>Slack's Web API with a bot token; <c>chat.postMessage</c> answers 200 with <c>ok</c> true or false.</summary>
public interface ISlackWebApi
{
    [Post("/chat.postMessage")]
    Task<IApiResponse<SlackApiResult>> PostMessageAsync([Body] SlackMessage message, CancellationToken cancellationToken);
}
