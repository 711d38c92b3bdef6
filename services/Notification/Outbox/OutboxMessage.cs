using DealRisk.Contracts;

namespace DealRisk.Notification.Outbox;

/// <summary>
/// One message to deliver, stored before anything is sent. Its id is derived from what it is about (the batch, the
/// deal's version, the day), so enqueuing it again is a no-op and a message is never queued twice.
/// </summary>
public sealed record OutboxMessage
{
    public required string Id { get; init; }
    /// <summary>One of <see cref="Slack.MessageKinds"/>.</summary>
    public required string Kind { get; init; }
    /// <summary>The Slack channel, or <see cref="OutboxDestinations.Email"/>.</summary>
    public required string Destination { get; init; }
    /// <summary><see cref="OutboxStatus.Pending"/>, <see cref="OutboxStatus.Sending"/>, <see cref="OutboxStatus.Sent"/> or <see cref="OutboxStatus.Parked"/>.</summary>
    public string Status { get; init; } = OutboxStatus.Pending;
    /// <summary>Grows with every write after the first; the stored version, so a write based on a stale read is refused.</summary>
    public long Revision { get; init; }
    /// <summary>The dispatcher that claimed the message while it is <see cref="OutboxStatus.Sending"/>.</summary>
    public string? Owner { get; init; }
    /// <summary>Until when the claim holds; after that another dispatcher may take the message over.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public int Attempts { get; init; }
    /// <summary>Attempts the receiver refused (see <see cref="DeliveryOutcome.Rejected"/>).</summary>
    public int Refusals { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>Slack: the fallback text and the Block Kit blocks as JSON.</summary>
    public string? Text { get; init; }
    public string? BlocksJson { get; init; }
    /// <summary>A real-time critical deal: rendered when sent, so deals turning critical together share one message.</summary>
    public DealRiskScore? CriticalDeal { get; init; }
    public string? Context { get; init; }
    public EmailContent? Email { get; init; }
    /// <summary>
    /// Messages of one group (a batch's morning messages) leave in <see cref="Sequence"/> order even across channels:
    /// one is held while an earlier one of its group is still pending, so a retried alert is never overtaken.
    /// </summary>
    public string? SequenceGroup { get; init; }
    public int Sequence { get; init; }
}

/// <summary>Where a message stands among the messages of its group.</summary>
public sealed record OutboxSequence(string Group, int Position);

public sealed record EmailContent
{
    public required string Subject { get; init; }
    public required string Html { get; init; }
    public required string PlainText { get; init; }
    /// <summary>Empty: the configured recipients.</summary>
    public IReadOnlyList<string> To { get; init; } = [];
}

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    /// <summary>Refused by the receiver too often: kept for an operator, no longer tried.</summary>
    public const string Parked = "parked";
}

public static class OutboxDestinations
{
    public const string Email = "email";
}
