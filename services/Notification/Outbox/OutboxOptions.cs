namespace DealRisk.Notification.Outbox;

/// <summary>Configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>
    /// The longest one delivery may take: a Slack post with its HTTP retries, or an email from connecting to the SMTP
    /// server's acceptance. A lease must outlast it, or a slow delivery lets another dispatcher send the message again.
    /// </summary>
    public static readonly TimeSpan LongestDelivery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a dispatcher's claim on a message holds; a message whose sender died is sent by another dispatcher
    /// after this. Longer than one delivery with its HTTP retries may take.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
}
