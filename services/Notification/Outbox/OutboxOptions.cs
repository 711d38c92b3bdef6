namespace DealRisk.Notification.Outbox;

/// <summary>Configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>
    /// How long a dispatcher's claim on a message holds; a message whose sender died is sent by another dispatcher
    /// after this. Longer than one delivery with its HTTP retries may take.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
}
