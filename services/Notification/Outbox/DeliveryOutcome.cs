namespace DealRisk.Notification.Outbox;

/// <summary>What a delivery attempt came to: sent (a 2xx, or the SMTP server accepted it), or to be tried again.</summary>
public sealed record DeliveryOutcome(bool Sent, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static readonly DeliveryOutcome Delivered = new(true);

    public static DeliveryOutcome Failed(string error, TimeSpan? retryAfter = null) => new(false, error, retryAfter);
}
