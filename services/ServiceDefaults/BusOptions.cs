using System.ComponentModel.DataAnnotations;
using DealRisk.ServiceDefaults.BatchPriority;

namespace DealRisk.ServiceDefaults;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

/// <summary>Configuration section <c>Bus</c>: which transport carries DealRisk's events, and how failures are retried.</summary>
public sealed class BusOptions
{
    public const string SectionName = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>Messages a receive endpoint fetches ahead; 128 keeps up at saturation on 2 cores where 16 falls behind.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 128;

    // The three interval lists are unset until configured, their defaults applied on reading: the configuration binder
    // appends configured items to an array that already holds some, so Bus__HeldRetryIntervals__0 would add a wait
    // after the defaults instead of replacing them.

    /// <summary>Immediate in-process retries before a message is redelivered later or faulted; see <see cref="ImmediateRetries"/>.</summary>
    public TimeSpan[]? RetryIntervals { get; set; }

    /// <summary>
    /// Delayed redeliveries after the retries; needs a transport that can delay (in-memory, or RabbitMQ with the
    /// delayed-exchange plugin). See <see cref="DelayedRedeliveries"/>.
    /// </summary>
    public TimeSpan[]? RedeliveryIntervals { get; set; }

    /// <summary>
    /// MassTransit's anonymous usage report to its vendor, a few minutes after start-up. A self-hosted engine holding
    /// sales data reaches nothing it was not configured to: off unless turned on here.
    /// </summary>
    public bool UsageTelemetry { get; set; }

    /// <summary>
    /// On a broker that cannot delay a message (no delayed-exchange plugin), the retries after the immediate ones; see
    /// <see cref="HeldRetries"/>.
    /// </summary>
    public TimeSpan[]? HeldRetryIntervals { get; set; }

    /// <summary>
    /// Warm-up messages of each real-time type a service sends through RabbitMQ to a scratch endpoint in each of two
    /// rounds before it reports ready (<see cref="IWarmUpTraffic"/>); zero turns the traffic off. The in-memory transport
    /// of the single-process mode sends none: nothing routes traffic by its readiness.
    /// </summary>
    [Range(0, 10_000)]
    public int WarmUpMessages { get; set; } = 64;

    /// <summary>
    /// The nice value (Linux, 0–19) of the threads that run the daily batch's chunks. 19, the default and the lowest,
    /// keeps real-time work far ahead of the batch. Where other CPU-bound work shares the service's scheduling group (one
    /// process on a busy host rather than a container of its own), nice 19 leaves the batch a seventieth of each busy core;
    /// a lower value lets it finish sooner there, and costs rescoring's tail during the batch.
    /// </summary>
    [Range(0, 19)]
    public int BatchLaneNiceness { get; set; } = BatchLaneScheduler.DefaultNiceness;

    /// <summary>How often each replica looks at its endpoints' <c>_error</c> queues (RabbitMQ); zero turns the check off.</summary>
    public TimeSpan ErrorQueueCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The configured immediate retries, else 0.1 s, 0.5 s, 2 s.</summary>
    public TimeSpan[] ImmediateRetries() =>
        RetryIntervals ?? [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    /// <summary>The configured delayed redeliveries, else 5 s, 30 s, 2 min.</summary>
    public TimeSpan[] DelayedRedeliveries() =>
        RedeliveryIntervals ?? [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <summary>
    /// The configured held retries, else 5 s, 15 s, 30 s and five of 1 minute: the message stays unacknowledged with this
    /// replica meanwhile (one that dies hands it back to the broker), for about six minutes in all, so a storage or
    /// broker outage of five minutes leaves nothing in <c>_error</c>.
    /// </summary>
    public TimeSpan[] HeldRetries() =>
        HeldRetryIntervals ?? [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), .. Enumerable.Repeat(TimeSpan.FromMinutes(1), 5)];

    /// <summary>Every retry a message gets before it faults, on a broker without delayed redelivery.</summary>
    public TimeSpan[] RetriesWithoutDelayedRedelivery() => [.. ImmediateRetries(), .. HeldRetries()];
}

public sealed class RabbitMqOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    /// <summary>From the environment (<c>Bus__RabbitMq__Password</c>); guest's default only works on localhost.</summary>
    [Required]
    public string Password { get; set; } = "guest";

    /// <summary>Set when the broker has the rabbitmq_delayed_message_exchange plugin: enables delayed redelivery.</summary>
    public bool DelayedExchange { get; set; }

    /// <summary>A client connection to this broker and virtual host, for the checks that ask the broker directly.</summary>
    public RabbitMQ.Client.ConnectionFactory ConnectionFactory() => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
    };
}
