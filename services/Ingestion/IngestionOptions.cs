using System.ComponentModel.DataAnnotations;

namespace DealRisk.Ingestion;

/// <summary>Configuration section <c>Ingestion</c>.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>
    /// The most deals per batch message: each service stores a chunk as one document, which must stay under MongoDB's
    /// 16 MiB, and the message well under RabbitMQ's 128 MiB, on a heavy day (a new model or rule set: every deal's
    /// factors and contributions moved), when a scored deal takes about 2 KiB (BatchChunkLimitTests).
    /// </summary>
    public const int MaxBatchChunkSize = 5000;

    /// <summary>Deals per batch message: large enough that a million deals is a few hundred messages.</summary>
    [Range(100, MaxBatchChunkSize)]
    public int BatchChunkSize { get; set; } = 5000;

    /// <summary>
    /// Open chunks of a batch published but not yet scored back at most; the publisher waits beyond it, so the chunks
    /// waiting in queues, and the memory they take, stay the same for any size of book. 0 publishes every chunk at once.
    /// </summary>
    [Range(0, 10_000)]
    public int BatchChunksInFlight { get; set; } = 12;

    /// <summary>How long the publisher waits for any scored chunk to come back before it publishes the rest of the batch unpaced.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BatchPacingStall { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Key that management endpoints require in <c>X-Api-Key</c>; from the environment (<c>Ingestion__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest accepted import body; bigger uploads are refused with 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Folder of mapping files that <c>POST /imports?mapping=&lt;name&gt;</c> may name.</summary>
    public string MappingsDirectory { get; set; } = "mappings";

    /// <summary>
    /// An import that changes at most this many deals rescores them at once, like a webhook; a larger one leaves them
    /// to the batch, so a bulk import cannot flood the real-time path.
    /// </summary>
    [Range(0, Imports.DealImporter.PublishGroupSize)]
    public int RealTimeImportLimit { get; set; } = 50;

    /// <summary>
    /// How long a webhook or import waits for the broker to confirm its events; past it the changes, already stored and
    /// recorded as pending, are published later by the sweeper, so a broker outage never holds a CRM's request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PublishWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Webhook requests one client address may make per minute (answered 429 beyond); generous for a CRM's bursts.</summary>
    [Range(1, int.MaxValue)]
    public int WebhookRequestsPerMinute { get; set; } = 30_000;

    /// <summary>Refused webhook requests stored and logged per minute; more are only counted, so refusals cannot fill the disk.</summary>
    [Range(1, 100_000)]
    public int MaxRecordedRefusalsPerMinute { get; set; } = 60;

    public Sync.SyncOptions Sync { get; set; } = new();
}
