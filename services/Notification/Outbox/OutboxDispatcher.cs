using System.Text.Json.Nodes;
using DealRisk.Notification.Email;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Outbox;

/// <summary>
/// Delivers the outbox, channel by channel and in the order messages were queued: at most one message per channel
/// per <see cref="SlackOptions.MinIntervalPerChannel"/>, a channel paused for Slack's <c>Retry-After</c>, failures
/// retried with exponential backoff until they go through. Several dispatchers may share one store: each claims a
/// message before sending it (<see cref="OutboxClaims"/>) and closes the channel in the store while the message is in
/// flight (<see cref="ChannelPacing"/>). A message is marked sent right after Slack's 2xx (or the SMTP server's acceptance);
/// only a crash inside that window, or a delivery outlasting its lease, can send it a second time.
/// Real-time critical deals waiting for the same channel are merged into one message.
/// </summary>
public sealed partial class OutboxDispatcher(
    NotificationStore store,
    OutboxSignal signal,
    SlackDelivery slack,
    SmtpDelivery email,
    SlackBlocks blocks,
    PoisonMessages poison,
    OutboxClaims claims,
    ChannelPacing pacing,
    IOptions<SlackOptions> options,
    IOptions<OutboxOptions> outbox,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>Picks up messages queued by another process sharing the store, even when nothing woke this one.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>How soon to look again at a channel another dispatcher holds: it reopens as soon as that delivery is over.</summary>
    private static readonly TimeSpan InFlightPoll = TimeSpan.FromSeconds(1);

    /// <summary>Names this dispatcher in its claims; unique even for two dispatchers in one process.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

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
        var (due, unfinished) = await DueMessagesAsync(cancellationToken);
        NotificationMetrics.Depth(unfinished);
        var wait = IdlePoll;
        var ready = OutboxSequencing.NotWaitingOnEarlier(due, unfinished);
        var heldBack = due.Count - ready.Count;
        foreach (var channel in ready.OrderBy(m => m.CreatedAt).ThenBy(m => m.Sequence).ThenBy(m => m.Id, StringComparer.Ordinal).GroupBy(m => m.Destination))
        {
            var now = time.GetUtcNow();
            var head = channel.First();
            if (head.NextAttemptAt > now)
            {
                wait = Min(wait, head.NextAttemptAt - now);
                continue;
            }

            var leaseUntil = now + outbox.Value.LeaseDuration;
            var (reservation, freeAt) = await pacing.TryReserveAsync(PacingKey(channel.Key), now, leaseUntil, cancellationToken);
            if (reservation is null)
            {
                wait = Min(wait, Min(freeAt - now, InFlightPoll));
                continue;
            }

            var candidates = head.CriticalDeal is null
                ? [head]
                : channel.Where(m => m.CriticalDeal is not null).Take(options.Value.MaxDealsPerMessage).ToList();
            var sending = await ClaimAsync(candidates, leaseUntil, cancellationToken);
            if (sending.Count == 0)
            {
                await pacing.ReleaseAsync(reservation, now);
                continue;
            }
            DeliveryOutcome outcome;
            try
            {
                outcome = await DeliverAsync(channel.Key, sending, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync(sending);
                await pacing.ReleaseAsync(reservation, time.GetUtcNow() + IntervalFor(channel.Key));
                throw;
            }
            now = time.GetUtcNow();
            var nextFree = now + Max(outcome.RetryAfter ?? TimeSpan.Zero, IntervalFor(channel.Key));
            await pacing.ReleaseAsync(reservation, nextFree);
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
                wait = Min(wait, nextFree - now);
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>
    /// Due: pending messages, and those whose sender's lease ran out (it crashed or stalled mid-delivery). Unfinished:
    /// every pending or sending message, which holds back the later messages of its sequence group.
    /// </summary>
    private async Task<(List<OutboxMessage> Due, List<OutboxMessage> Unfinished)> DueMessagesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unfinished = new List<OutboxMessage>();
        await foreach (var message in store.Outbox.FindAsync("status", OutboxStatus.Pending, cancellationToken))
            unfinished.Add(message);
        await foreach (var message in store.Outbox.FindAsync("status", OutboxStatus.Sending, cancellationToken))
            unfinished.Add(message);
        return (unfinished.Where(message => OutboxClaims.IsDue(message, now)).ToList(), unfinished);
    }

    private async Task<List<OutboxMessage>> ClaimAsync(IReadOnlyList<OutboxMessage> candidates, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var claimed = new List<OutboxMessage>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (candidate.Status == OutboxStatus.Sending)
                LogLeaseExpired(candidate.Id, candidate.Owner);
            if (await claims.TryClaimAsync(candidate, _owner, leaseUntil, cancellationToken) is { } message)
                claimed.Add(message);
        }
        return claimed;
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
        foreach (var message in messages)
        {
            var attempts = message.Attempts + 1;
            if (await claims.CompleteAsync(message, message with { Status = OutboxStatus.Sent, SentAt = now, Attempts = attempts, LastError = null }))
                LogSent(message.Id, message.Kind, message.Destination, attempts);
            else
                LogClaimLost(message.Id);
        }
        NotificationMetrics.Delivered(messages, now);
    }

    /// <summary>Hands the messages back at once when the service stops mid-delivery, rather than after the lease.</summary>
    private async Task ReleaseAsync(IReadOnlyList<OutboxMessage> messages)
    {
        foreach (var message in messages)
            await claims.CompleteAsync(message, message with { Status = OutboxStatus.Pending });
    }

    private async Task RecordFailureAsync(string destination, IReadOnlyList<OutboxMessage> messages, DeliveryOutcome outcome, DateTimeOffset now)
    {
        var attempts = messages[0].Attempts + 1;
        var retryAt = now + Max(outcome.RetryAfter ?? TimeSpan.Zero, Backoff(attempts));
        foreach (var message in messages)
        {
            var retry = message with
            {
                Status = OutboxStatus.Pending,
                Attempts = message.Attempts + 1,
                Refusals = message.Refusals + (outcome.Rejected ? 1 : 0),
                NextAttemptAt = retryAt,
                LastError = outcome.Error,
            };
            if (!await claims.CompleteAsync(message, retry))
                LogClaimLost(message.Id);
        }
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

    [LoggerMessage(LogLevel.Information, "Outbox message {MessageId} ({Kind}) delivered to {Destination} after {Attempts} attempt(s)")]
    private partial void LogSent(string messageId, string kind, string destination, int attempts);

    [LoggerMessage(LogLevel.Warning, "Delivery to {Destination} failed ({Error}) for {Messages} message(s), attempt {Attempts}; retrying at {RetryAt}")]
    private partial void LogRetrying(string destination, int messages, int attempts, string? error, DateTimeOffset retryAt);

    [LoggerMessage(LogLevel.Warning, "Outbox message {MessageId} was claimed by {Owner}, whose lease ran out; taking it over")]
    private partial void LogLeaseExpired(string messageId, string? owner);

    [LoggerMessage(LogLevel.Warning, "Outbox message {MessageId} was taken over by another dispatcher before its outcome was recorded")]
    private partial void LogClaimLost(string messageId);

    [LoggerMessage(LogLevel.Error, "The outbox dispatcher failed; it tries again shortly")]
    private partial void LogDispatchFailed(Exception exception);
}
