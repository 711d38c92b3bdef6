using System.Net.Http.Headers;
using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using Microsoft.Extensions.Options;
using Refit;

namespace DealRisk.Notification.Slack;

/// <summary>
/// Sends one message to a channel: through the channel's own incoming webhook, else <c>chat.postMessage</c> with the
/// bot token, else the default webhook; with none of them configured it prints the text, so a local run shows it.
/// </summary>
public sealed class SlackDelivery(IServiceProvider services, IOptions<SlackOptions> options)
{
    public async Task<DeliveryOutcome> DeliverAsync(string channel, SlackMessage message, CancellationToken cancellationToken)
    {
        var slack = options.Value;
        try
        {
            var webhook = slack.WebhookFor(channel) ?? (slack.BotToken is null ? slack.WebhookUrl : null);
            if (webhook is not null)
                return await PostToWebhookAsync(webhook, message, cancellationToken);
            if (slack.BotToken is not null)
                return await PostWithBotAsync(channel, message, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException
                                              or Polly.Timeout.TimeoutRejectedException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DeliveryOutcome.Failed(exception.GetType().Name);
        }

        Console.WriteLine(message.Text);
        return DeliveryOutcome.Delivered;
    }

    /// <summary>
    /// What Slack's one-message-per-second limit applies to for this channel: an incoming webhook posts to one fixed
    /// channel, so channels routed through the same webhook share its pace; with the bot token it is the channel itself.
    /// </summary>
    public string PacingKey(string channel)
    {
        var slack = options.Value;
        return slack.WebhookFor(channel) ?? (slack.BotToken is null ? slack.WebhookUrl : null) ?? channel;
    }

    /// <summary>
    /// Builds the HTTP clients and renders and serializes one alert before the first real one, so the first critical
    /// deal after start-up does not pay for JIT and client set-up on its way to Slack.
    /// </summary>
    public void WarmUp(SlackBlocks blocks)
    {
        var sample = new DealRiskScore
        {
            Deal = new DealProfile { Source = "warm-up", ExternalId = "0", Version = 0, Stage = DealStages.Demo },
            Score = 0, Level = RiskLevels.Critical, Reasons = [], Action = "", Scorer = "rules",
        };
        System.Text.Json.JsonSerializer.Serialize(blocks.CriticalDeals([sample], 1, ""));
        services.GetRequiredService<ISlackWebhookApi>();
        services.GetRequiredService<ISlackWebApi>();
    }

    private async Task<DeliveryOutcome> PostToWebhookAsync(string webhook, SlackMessage message, CancellationToken cancellationToken)
    {
        var api = services.GetRequiredService<ISlackWebhookApi>();
        using var response = await api.PostAsync(new Uri(webhook).AbsolutePath.TrimStart('/'), message, cancellationToken);
        return response.IsSuccessStatusCode ? DeliveryOutcome.Delivered : Failure(response);
    }

    private async Task<DeliveryOutcome> PostWithBotAsync(string channel, SlackMessage message, CancellationToken cancellationToken)
    {
        var api = services.GetRequiredService<ISlackWebApi>();
        using var response = await api.PostMessageAsync(message with { Channel = channel }, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return Failure(response);
        if (response.Content is { Ok: true })
            return DeliveryOutcome.Delivered;
        var error = $"chat.postMessage: {response.Content?.Error ?? "no answer"}";
        return response.Content?.Error is { } code && !TransientApiErrors.Contains(code) ? DeliveryOutcome.Refused(error) : DeliveryOutcome.Failed(error);
    }

    /// <summary>chat.postMessage errors that say nothing about the message itself; every other one refuses it.</summary>
    private static readonly HashSet<string> TransientApiErrors = new(StringComparer.Ordinal)
    {
        "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org",
    };

    private static DeliveryOutcome Failure(IApiResponse response)
    {
        var error = $"HTTP {(int?)response.StatusCode}";
        return (int?)response.StatusCode switch
        {
            429 => DeliveryOutcome.Failed(error, RetryAfter(response.Headers?.RetryAfter)),
            408 => DeliveryOutcome.Failed(error),
            >= 400 and < 500 => DeliveryOutcome.Refused(error),
            _ => DeliveryOutcome.Failed(error),
        };
    }

    private static TimeSpan RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
            return date - DateTimeOffset.UtcNow;
        return TimeSpan.FromSeconds(1);
    }
}
