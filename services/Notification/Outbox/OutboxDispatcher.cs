using System.Text.Json.Nodes;
using DealRisk.Notification.Email;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Outbox;

/// <summary>
/// Delivers the outbox, channel by channel and in the order messages were queued: at most one message per channel
/// per <see cref="SlackOptions.MinIntervalPerChannel"/>, a channel paused for Slack's <c>Retry-After</c>, failures
/// retried with exponential backoff until they go through. A message is marked sent right after Slack's 2xx (or the
/// SMTP server's acceptance), in one write; only a crash inside that window can send it a second time.
/// Real-time critical deals waiting for the same channel are merged into one message.
/// </summary>
public sealed partial class OutboxDispatcher(
    NotificationStore store,
    OutboxSignal signal,
    SlackDelivery slack,
    SmtpDelivery email,
    SlackBlocks blocks,
    PoisonMessages poison,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>Picks up messages queued by another process sharing the store, even when nothing woke this one.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, DateTimeOffset> _channelFreeAt = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        slack.WarmUp(blocks);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(exception);
                wait = TimeSpan.FromSeconds(5);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is due on every channel that is free; returns how long until something may be due.</summary>
    public async Task<TimeSpan> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var pending = new List<OutboxMessage>();
        await foreach (var message in store.Outbox.FindAsync("status", OutboxStatus.Pending, cancellationToken))
            pending.Add(message);

        NotificationMetrics.Depth(pending);
        var wait = IdlePoll;
        var ready = OutboxSequencing.NotWaitingOnEarlier(pending);
        var heldBack = pending.Count - ready.Count;
        foreach (var channel in ready.OrderBy(m => m.CreatedAt).ThenBy(m => m.Sequence).ThenBy(m => m.Id, StringComparer.Ordinal).GroupBy(m => m.Destination))
        {
            var now = time.GetUtcNow();
            var head = channel.First();
            var pace = PacingKey(channel.Key);
            var freeAt = Max(_channelFreeAt.GetValueOrDefault(pace), head.NextAttemptAt);
            if (freeAt > now)
            {
                wait = Min(wait, freeAt - now);
                continue;
            }

            var sending = head.CriticalDeal is null
                ? [head]
                : channel.Where(m => m.CriticalDeal is not null).Take(options.Value.MaxDealsPerMessage).ToList();
            var outcome = await DeliverAsync(channel.Key, sending, cancellationToken);
            now = time.GetUtcNow();
            _channelFreeAt[pace] = now + Max(outcome.RetryAfter ?? TimeSpan.Zero, IntervalFor(channel.Key));
            if (outcome.Sent)
            {
                await MarkSentAsync(sending, now);
                if (heldBack > 0)
                    wait = TimeSpan.Zero;
            }
            else if (outcome.Rejected && head.Refusals + 1 >= options.Value.MaxRefusals)
                await poison.ParkAsync(sending, outcome.Error);
            else
                await RecordFailureAsync(channel.Key, sending, outcome, now);
            if (!outcome.Sent || channel.Count() > sending.Count)
                wait = Min(wait, _channelFreeAt[pace] - now);
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private async Task<DeliveryOutcome> DeliverAsync(string destination, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var first = messages[0];
        if (first.Email is { } content)
            return await email.DeliverAsync(content, cancellationToken);
        var message = first.CriticalDeal is null
            ? new SlackMessage(first.Text ?? "", first.BlocksJson is null ? null : JsonNode.Parse(first.BlocksJson)!.AsArray())
            : blocks.CriticalDeals(messages.Select(m => m.CriticalDeal!).ToList(), messages.Count, messages[^1].Context ?? "");
        return await slack.DeliverAsync(destination, message, cancellationToken);
    }

    private async Task MarkSentAsync(IReadOnlyList<OutboxMessage> messages, DateTimeOffset now)
    {
        // Not cancellable: once Slack has the message, losing this write is what would send it twice.
        await store.Outbox.UpsertManyAsync(
            messages.Select(m => KeyValuePair.Create(m.Id, m with { Status = OutboxStatus.Sent, SentAt = now, Attempts = m.Attempts + 1, LastError = null })).ToList(),
            CancellationToken.None);
        foreach (var message in messages)
            LogSent(message.Id, message.Kind, message.Destination, message.Attempts + 1);
        NotificationMetrics.Delivered(messages, now);
    }

    private async Task RecordFailureAsync(string destination, IReadOnlyList<OutboxMessage> messages, DeliveryOutcome outcome, DateTimeOffset now)
    {
        var attempts = messages[0].Attempts + 1;
        var retryAt = now + Max(outcome.RetryAfter ?? TimeSpan.Zero, Backoff(attempts));
        await store.Outbox.UpsertManyAsync(
            messages.Select(m => KeyValuePair.Create(m.Id, m with { Attempts = m.Attempts + 1, Refusals = m.Refusals + (outcome.Rejected ? 1 : 0), NextAttemptAt = retryAt, LastError = outcome.Error })).ToList(),
            CancellationToken.None);
        LogRetrying(destination, messages.Count, attempts, outcome.Error, retryAt);
    }

    private string PacingKey(string destination) =>
        destination == OutboxDestinations.Email ? destination : slack.PacingKey(destination);

    private TimeSpan IntervalFor(string destination) =>
        destination == OutboxDestinations.Email ? TimeSpan.Zero : options.Value.MinIntervalPerChannel;

    /// <summary>1 s, 2 s, 4 s … up to 5 minutes, with jitter so a recovering Slack is not hit by everything at once.</summary>
    private static TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(Math.Pow(2, Math.Min(attempts - 1, 20)), MaxBackoff.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(LogLevel.Information, "Outbox message {MessageId} ({Kind}) delivered to {Destination} after {Attempts} attempt(s)")]
    private partial void LogSent(string messageId, string kind, string destination, int attempts);

    [LoggerMessage(LogLevel.Warning, "Delivery to {Destination} failed ({Error}) for {Messages} message(s), attempt {Attempts}; retrying at {RetryAt}")]
    private partial void LogRetrying(string destination, int messages, int attempts, string? error, DateTimeOffset retryAt);

    [LoggerMessage(LogLevel.Error, "The outbox dispatcher failed; it tries again shortly")]
    private partial void LogDispatchFailed(Exception exception);
}
