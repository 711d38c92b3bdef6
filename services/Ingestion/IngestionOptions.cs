using System.ComponentModel.DataAnnotations;

namespace DealRisk.Ingestion;

/// <summary>Configuration section <c>Ingestion</c>.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Deals per batch message: large enough that a million deals is a few hundred messages.</summary>
    [Range(100, 100_000)]
    public int BatchChunkSize { get; set; } = 5000;

    /// <summary>Key that management endpoints require in <c>X-Api-Key</c>; from the environment (<c>Ingestion__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest accepted import body; bigger uploads are refused with 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Folder of mapping files that <c>POST /imports?mapping=&lt;name&gt;</c> may name.</summary>
    public string MappingsDirectory { get; set; } = "mappings";

    /// <summary>Webhook requests one client address may make per minute (answered 429 beyond); generous for a CRM's bursts.</summary>
    [Range(1, int.MaxValue)]
    public int WebhookRequestsPerMinute { get; set; } = 30_000;

    /// <summary>Refused webhook requests stored and logged per minute; more are only counted, so refusals cannot fill the disk.</summary>
    [Range(1, 100_000)]
    public int MaxRecordedRefusalsPerMinute { get; set; } = 60;

    public Sync.SyncOptions Sync { get; set; } = new();
}
