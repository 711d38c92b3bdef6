namespace DealRisk.Notification.Outbox;

/// <summary>
/// What a delivery attempt came to: sent (a 2xx, or the SMTP server accepted it), or to be tried again;
/// <see cref="Rejected"/> when the receiver refused this very message (a Slack 4xx other than 429), which
/// trying again is unlikely to change.
/// </summary>
public sealed record DeliveryOutcome(bool Sent, string? Error = null, TimeSpan? RetryAfter = null, bool Rejected = false)
{
    public static readonly DeliveryOutcome Delivered = new(true);

    public static DeliveryOutcome Failed(string error, TimeSpan? retryAfter = null) => new(false, error, retryAfter);

    public static DeliveryOutcome Refused(string error) => new(false, error, Rejected: true);
}
